using System.Collections;
using System.Reflection;
using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

/// <summary>
/// Conditions pass their values as parameters, so asking about a new user does not compile (and keep, for the life of
/// the process) another expression; and they find what LiteDB's own conditions find, through the index.
/// </summary>
public sealed class FilterTests
{
    [Fact]
    public void AskingAboutManyDifferentValues_CompilesEachConditionOnce()
    {
        using var database = PlatformDatabase.Open(Path.Combine(TempFolder.Create(), "platformbot.db"));
        var rows = database.Collection<BsonDocument>("rows");
        rows.EnsureIndex("user", "$.user");
        var marker = "u" + Guid.NewGuid().ToString("N"); // LiteDB's cache is process-wide: look for this test's values only
        rows.InsertBulk(Enumerable.Range(0, 300).Select(i => new BsonDocument { ["_id"] = i, ["user"] = $"{marker}-{i}", ["at"] = i * 10L }));

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(i, Assert.Single(rows.Find(Filter.Eq("$.user", $"{marker}-{i}")))["_id"].AsInt32);
            Assert.Equal(i, Assert.Single(rows.Find(Filter.Range("$.at", i * 10L, (i * 10L) + 10)))["_id"].AsInt32);
            Assert.Equal($"{marker}-{i}", rows.ById(i)!["user"].AsString);
        }

        Assert.Equal(0, CompiledExpressionsMentioning(marker));

        // What LiteDB's own Query.EQ does with the same values: one more compiled expression for each of them, kept.
        for (var i = 0; i < 20; i++)
        {
            _ = rows.Find(Query.EQ("$.user", $"{marker}-{i}")).ToList();
        }

        Assert.True(CompiledExpressionsMentioning(marker) >= 20, "LiteDB's Query.EQ no longer compiles per value; Filter could go");
    }

    [Fact]
    public void Conditions_FindWhatTheySay()
    {
        using var database = PlatformDatabase.Open(Path.Combine(TempFolder.Create(), "platformbot.db"));
        var rows = database.Collection<BsonDocument>("rows");
        rows.EnsureIndex("n", "$.n");
        rows.InsertBulk(Enumerable.Range(1, 10).Select(i => new BsonDocument { ["_id"] = i, ["n"] = i, ["state"] = i % 3 == 0 ? "closed" : "open" }));

        Assert.Equal([7, 8, 9, 10], Ids(Filter.Gt("_id", 6)));
        Assert.Equal([1, 2], Ids(Filter.Lte("_id", 2)));
        Assert.Equal([3, 4, 5], Ids(Filter.Between("$.n", 3, 5)));
        Assert.Equal([3, 4], Ids(Filter.Range("$.n", 3, 5)));
        Assert.Equal([3, 6, 9], Ids(Filter.In("$.state", new BsonArray(new BsonValue[] { "closed", "gone" }))));
        Assert.Null(rows.ById(11));
        Assert.Null(rows.ById(BsonValue.Null));

        int[] Ids(BsonExpression where) => [.. rows.Find(where).Select(d => d["_id"].AsInt32).Order()];
    }

    // LiteDB keeps compiled expressions in static dictionaries on BsonExpression, keyed by the expression's text.
    private static int CompiledExpressionsMentioning(string text) =>
        typeof(BsonExpression).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Select(f => f.GetValue(null))
            .OfType<IDictionary>()
            .Sum(cache => cache.Keys.OfType<string>().Count(key => key.Contains(text, StringComparison.Ordinal)));
}
