using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class KeyFilterTests
{
    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot.db");

    [Fact]
    public void ValuesStoredBeforeARestart_AreMaybes_AndNeverSeenOnesAreCertainlyAbsent()
    {
        using (var database = PlatformDatabase.Open(_path))
        {
            var rows = database.Collection<BsonDocument>("rows");
            rows.Insert(new BsonDocument { ["_id"] = "slack:U1|1712.0001", ["asker"] = "slack:U1" });
            rows.Insert(new BsonDocument { ["_id"] = "teams:29:a|act-9", ["asker"] = null });
        }

        using var reopened = PlatformDatabase.Open(_path);
        var collection = reopened.Collection<BsonDocument>("rows");
        var ids = KeyFilter.Of(collection, "_id");
        var askers = KeyFilter.Of(collection, "asker");

        Assert.True(ids.MayContain("slack:U1|1712.0001"));
        Assert.True(ids.MayContain("teams:29:a|act-9"));
        Assert.False(ids.MayContain("slack:U1|1712.0002"));
        Assert.True(askers.MayContain("slack:U1"));
        Assert.False(askers.MayContain("teams:29:a"));
    }

    [Fact]
    public void AValueAdded_IsAMaybeFromThenOn()
    {
        using var database = PlatformDatabase.Open(_path);
        var filter = KeyFilter.Of(database.Collection<BsonDocument>("rows"), "_id");
        Assert.False(filter.MayContain("new-key"));

        filter.Add("new-key");

        Assert.True(filter.MayContain("new-key"));
    }
}
