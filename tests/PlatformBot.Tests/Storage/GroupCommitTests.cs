using LiteDB;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

public sealed class GroupCommitTests : IDisposable
{
    private readonly PlatformDatabase _database = PlatformDatabase.Open(Path.Combine(TempFolder.Create(), "platformbot.db"));

    private ILiteCollection<BsonDocument> Rows => _database.Collection<BsonDocument>("rows");

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WritesArrivingTogether_ShareCommits_AndAllAreStored()
    {
        var commits = 0;
        var gate = new ManualResetEventSlim();
        await using var writes = new GroupCommit(_database, afterCommit: () => Interlocked.Increment(ref commits));
        var first = writes.WriteAsync(() => gate.Wait(TestContext.Current.CancellationToken));

        var rest = Enumerable.Range(1, 50).Select(i => writes.WriteAsync(() => Rows.Insert(new BsonDocument { ["_id"] = i }))).ToList();
        gate.Set();
        await first;
        await Task.WhenAll(rest);

        Assert.Equal(50, Rows.Count());
        Assert.InRange(commits, 1, 10); // 51 writes, a handful of flushes
    }

    [Fact]
    public async Task AFailingWrite_FailsOnlyItself()
    {
        var gate = new ManualResetEventSlim();
        await using var writes = new GroupCommit(_database);
        var first = writes.WriteAsync(() => gate.Wait(TestContext.Current.CancellationToken));
        var before = writes.WriteAsync(() => Rows.Insert(new BsonDocument { ["_id"] = 1 }));
        var failing = writes.WriteAsync(() => throw new InvalidOperationException("refused"));
        var after = writes.WriteAsync(() => Rows.Insert(new BsonDocument { ["_id"] = 2 }));

        gate.Set();
        await first;

        await before;
        await after;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(2, Rows.Count());
    }
}
