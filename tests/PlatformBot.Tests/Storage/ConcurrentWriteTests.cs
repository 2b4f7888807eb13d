using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

/// <summary>
/// LiteDB 5.0.20 corrupts its free-page list when transactions on different collections run at once (upstream issues
/// #2503 and #2825, fixed after 5.0.21; the feed serves only 5.0.20): "ENSURE: empty page must be defined as empty type",
/// after which the engine refuses everything. Features write from request threads, the outbox dispatcher, the event bus
/// and sweeps at the same time, so <see cref="PlatformDatabase"/> serializes writes.
/// </summary>
public sealed class ConcurrentWriteTests
{
    [Fact]
    public async Task WritersOnDifferentCollections_AtOnce_LeaveTheDatabaseUsable()
    {
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        using (var db = PlatformDatabase.Open(path))
        {
            var until = DateTime.UtcNow.AddSeconds(3); // a stress run measured on the wall clock, not time passing in the app
            var a = db.Collection<Row>("a");
            var b = db.Collection<Row>("b");
            var c = db.Collection<Row>("c");
            var writers = new[]
            {
                Task.Run(() => Repeat(until, i => a.Insert(new Row { Text = new string('a', 200 + (i % 3000)) })), TestContext.Current.CancellationToken),
                Task.Run(() => Repeat(until, i => db.InTransaction(() => b.InsertBulk(Enumerable.Range(0, 20).Select(_ => new Row { Text = new string('b', 500) })))), TestContext.Current.CancellationToken),
                Task.Run(() => Repeat(until, i => c.Insert(new Row { Text = new string('c', 4000) })), TestContext.Current.CancellationToken),
                Task.Run(() => Repeat(until, i => { a.DeleteAll(); c.DeleteMany(r => r.Id < i); }), TestContext.Current.CancellationToken),
            };

            await Task.WhenAll(writers);
            a.Insert(new Row { Text = "after" });
        }

        using var reopened = PlatformDatabase.Open(path);
        reopened.Collection<Row>("b").Insert(new Row { Text = "reopened" });
        Assert.True(reopened.Collection<Row>("b").Count() > 0);
    }

    private static void Repeat(DateTime until, Action<int> write)
    {
        for (var i = 0; DateTime.UtcNow < until; i++)
        {
            write(i);
        }
    }

    private sealed class Row
    {
        [BsonId(true)]
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }
}
