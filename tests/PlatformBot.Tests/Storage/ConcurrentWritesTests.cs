using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

/// <summary>
/// LiteDB 5.0.20 damages its free page lists when writes on different threads overlap (see SerializedWritesEngine);
/// this is the pattern that broke a 170 MB database in the SLA benchmark within seconds, and without the gate it fails
/// here too ("empty page must be defined as empty type").
/// </summary>
public sealed class ConcurrentWritesTests
{
    [Fact]
    public async Task ExplicitTransactions_BesideInsertsAndDeletesOnOtherThreads_LeaveTheFileSound()
    {
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        var documents = 0;
        using (var database = PlatformDatabase.Open(path))
        {
            var tickets = database.Database.GetCollection("a");
            tickets.EnsureIndex("k", "$.k");
            var events = database.Database.GetCollection("b");

            var batches = Task.Run(() =>
            {
                var random = new Random(1);
                for (var batch = 0; batch < 60; batch++)
                {
                    database.InTransaction(() =>
                    {
                        for (var i = 0; i < 100; i++)
                        {
                            var id = Interlocked.Increment(ref documents);
                            tickets.Insert(new BsonDocument { ["_id"] = id, ["k"] = random.Next(), ["s"] = new string('x', random.Next(200, 2500)) });
                        }

                        for (var i = 0; i < 20; i++)
                        {
                            if (tickets.FindById(random.Next(1, Math.Max(2, documents))) is { } document)
                            {
                                document["s"] = new string('y', random.Next(100, 3000));
                                tickets.Update(document);
                            }
                        }
                    });
                }
            }, TestContext.Current.CancellationToken);
            var churn = Task.Run(() =>
            {
                var random = new Random(2);
                long last = 0;
                while (!batches.IsCompleted)
                {
                    for (var i = 0; i < 20; i++)
                    {
                        events.Insert(new BsonDocument { ["_id"] = ++last, ["s"] = new string('z', random.Next(100, 4000)) });
                    }

                    events.DeleteMany(Query.LTE("_id", last - 5));
                }
            }, TestContext.Current.CancellationToken);

            await Task.WhenAll(batches, churn);
        }

        using var reopened = PlatformDatabase.Open(path);
        Assert.Equal(6_000, reopened.Database.GetCollection("a").Count());
    }
}
