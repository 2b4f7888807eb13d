using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class CardDirectoryTests
{
    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot.db");

    [Fact]
    public void ACardPostedInAThread_IsFoundByTheThread_AlsoInADatabaseWhoseThreadIndexWasNotSparse()
    {
        using (var old = PlatformDatabase.Open(_path))
        {
            old.Database.GetCollection("cards").EnsureIndex("ThreadKey", "$.ThreadKey"); // as before the index was sparse
            new LiteDbCardDirectory(old).Record("ticket:PLAT-1", new PostedMessage(new ConversationAddress("slack", "C1", ThreadId: "1712.0001"), "1712.0002"));
        }

        using var database = PlatformDatabase.Open(_path);
        var cards = new LiteDbCardDirectory(database);
        cards.Record("ticket:PLAT-2", new PostedMessage(new ConversationAddress("slack", "C1"), "1712.0003"));

        Assert.Equal("ticket:PLAT-1", cards.FindKey("slack", "C1", "1712.0001")); // a reply in the thread the card was posted in
        Assert.Equal("ticket:PLAT-1", cards.FindKey("slack", "C1", "1712.0002")); // the card itself
        Assert.Equal("ticket:PLAT-2", cards.FindKey("slack", "C1", "1712.0003"));
        Assert.Null(cards.FindKey("slack", "C1", "1712.0009"));
        var expression = database.Database.GetCollection("$indexes").Find(Filter.Eq("collection", "cards")).Single(i => i["name"].AsString == "ThreadKey")["expression"].AsString;
        Assert.StartsWith("FILTER(", expression, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingTheSameMessageAgain_MovesItToTheNewCard()
    {
        using var database = PlatformDatabase.Open(_path);
        var cards = new LiteDbCardDirectory(database);
        var message = new PostedMessage(new ConversationAddress("teams", "a:conv"), "act-1");

        cards.Record("ticket:PLAT-1", message);
        cards.Record("ticket:PLAT-2", message);

        Assert.Equal("ticket:PLAT-2", cards.FindKey("teams", "a:conv", "act-1"));
        Assert.Empty(cards.Find("ticket:PLAT-1"));
    }
}
