using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class CardDirectoryTests
{
    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot.db");

    [Fact]
    public void ADatabaseFromBefore_ItsLocationsAreMovedOnce_AndFoundByMessageByThreadAndByCard()
    {
        using (var old = PlatformDatabase.Open(_path))
        {
            // The layout before: keyed by message, with a (non-sparse) thread index.
            var cards = old.Database.GetCollection("cards");
            cards.EnsureIndex("Key", "$.Key");
            cards.EnsureIndex("ThreadKey", "$.ThreadKey");
            cards.Insert(new BsonDocument
            {
                ["_id"] = "slack|C1|1712.0002", ["Key"] = "ticket:PLAT-1", ["Channel"] = "slack", ["ConversationId"] = "C1",
                ["ThreadId"] = "1712.0001", ["ThreadKey"] = "slack|C1|1712.0001", ["IsDirect"] = false, ["MessageId"] = "1712.0002",
            });
            cards.InsertBulk(Enumerable.Range(100, 2_500).Select(n => new BsonDocument
            {
                ["_id"] = $"teams|a:dm-{n}|{n}", ["Key"] = $"ticket:PLAT-{n}", ["Channel"] = "teams", ["ConversationId"] = $"a:dm-{n}",
                ["ThreadId"] = BsonValue.Null, ["ThreadKey"] = BsonValue.Null, ["IsDirect"] = true, ["MessageId"] = $"{n}",
            })); // more than one chunk of the move
        }

        using var database = PlatformDatabase.Open(_path);
        var directory = new LiteDbCardDirectory(database);
        directory.Record("ticket:PLAT-2", new PostedMessage(new ConversationAddress("slack", "C1"), "1712.0003"));

        Assert.Equal("ticket:PLAT-1", directory.FindKey("slack", "C1", "1712.0001")); // a reply in the thread the card was posted in
        Assert.Equal("ticket:PLAT-1", directory.FindKey("slack", "C1", "1712.0002")); // the card itself
        Assert.Equal("ticket:PLAT-2", directory.FindKey("slack", "C1", "1712.0003"));
        Assert.Null(directory.FindKey("slack", "C1", "1712.0009"));
        Assert.Equal([new PostedMessage(new ConversationAddress("slack", "C1", "1712.0001"), "1712.0002")], directory.Find("ticket:PLAT-1"));
        Assert.False(database.Database.CollectionExists("cards"));
        Assert.Equal(2_502, database.Database.GetCollection("card_locations").Count());
        Assert.Equal("ticket:PLAT-2599", directory.FindKey("teams", "a:dm-2599", "2599"));
        Assert.Equal([new PostedMessage(new ConversationAddress("teams", "a:dm-100", IsDirect: true), "100")], directory.Find("ticket:PLAT-100"));
    }

    [Fact]
    public void AfterARestart_CardsAreFoundByTheirMessageAndTheirThread()
    {
        using (var first = PlatformDatabase.Open(_path))
        {
            var directory = new LiteDbCardDirectory(first);
            directory.Record("ticket:PLAT-1", new PostedMessage(new ConversationAddress("teams", "19:chan@thread.tacv2", ThreadId: "1700"), "1701"));
            directory.Record("survey:pulse-1", new PostedMessage(new ConversationAddress("teams", "a:dm", IsDirect: true), "1702"));
        }

        using var database = PlatformDatabase.Open(_path);
        var reopened = new LiteDbCardDirectory(database);

        Assert.Equal("ticket:PLAT-1", reopened.FindKey("teams", "19:chan@thread.tacv2", "1700"));
        Assert.Equal("ticket:PLAT-1", reopened.FindKey("teams", "19:chan@thread.tacv2", "1701"));
        Assert.Equal("survey:pulse-1", reopened.FindKey("teams", "a:dm", "1702"));
        Assert.Null(reopened.FindKey("teams", "a:dm", "1700"));
        reopened.Record("ticket:PLAT-2", new PostedMessage(new ConversationAddress("teams", "a:dm", IsDirect: true), "1703"));
        Assert.Equal("ticket:PLAT-2", reopened.FindKey("teams", "a:dm", "1703"));
    }

    [Fact]
    public void ALocationRecordedInATransactionThatRollsBack_IsNotFound_AndCanBeRecordedAgain()
    {
        using var database = PlatformDatabase.Open(_path);
        var directory = new LiteDbCardDirectory(database);
        var message = new PostedMessage(new ConversationAddress("teams", "19:chan@thread.tacv2", ThreadId: "1700"), "1701");

        Assert.Throws<InvalidOperationException>(() => database.InTransaction(() =>
        {
            directory.Record("ticket:PLAT-1", message);
            Assert.Equal("ticket:PLAT-1", directory.FindKey("teams", "19:chan@thread.tacv2", "1701")); // inside, it is there
            throw new InvalidOperationException("disk full");
        }));

        Assert.Null(directory.FindKey("teams", "19:chan@thread.tacv2", "1701"));
        Assert.Null(directory.FindKey("teams", "19:chan@thread.tacv2", "1700"));
        Assert.Empty(directory.Find("ticket:PLAT-1"));
        directory.Record("ticket:PLAT-1", message);
        Assert.Equal("ticket:PLAT-1", directory.FindKey("teams", "19:chan@thread.tacv2", "1700"));
        Assert.Single(directory.Find("ticket:PLAT-1"));
    }

    [Fact]
    public void RecordingAKnownCardAgain_InATransactionThatRollsBack_KeepsWhatWasThere()
    {
        using var database = PlatformDatabase.Open(_path);
        var directory = new LiteDbCardDirectory(database);
        var message = new PostedMessage(new ConversationAddress("teams", "19:chan@thread.tacv2", ThreadId: "1700"), "1701");
        directory.Record("ticket:PLAT-1", message);

        Assert.Throws<InvalidOperationException>(() => database.InTransaction(() =>
        {
            directory.Record("ticket:PLAT-1", message);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal([message], directory.Find("ticket:PLAT-1"));
        Assert.Equal("ticket:PLAT-1", directory.FindKey("teams", "19:chan@thread.tacv2", "1700"));
        Assert.Equal("ticket:PLAT-1", directory.FindKey("teams", "19:chan@thread.tacv2", "1701"));
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
