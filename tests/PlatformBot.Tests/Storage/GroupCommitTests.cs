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
        var seenAtWrite = new System.Collections.Concurrent.ConcurrentBag<int>(); // writes of one batch all see the same count
        var gate = new ManualResetEventSlim();
        await using var writes = new GroupCommit(_database);
        var first = writes.WriteAsync(() => gate.Wait(TestContext.Current.CancellationToken));

        var rest = Enumerable.Range(1, 50).Select(i => writes.WriteAsync(() =>
        {
            Rows.Insert(new BsonDocument { ["_id"] = i });
            seenAtWrite.Add(Volatile.Read(ref commits));
            PlatformDatabase.AfterCommit(() => Interlocked.Increment(ref commits));
        })).ToList();
        gate.Set();
        await first;
        await Task.WhenAll(rest);

        Assert.Equal(50, Rows.Count());
        Assert.Equal(50, commits); // each write hears of its commit once
        Assert.InRange(seenAtWrite.Distinct().Count(), 1, 10); // 51 writes, a handful of commits
    }

    [Fact]
    public async Task AWriteFromInsideATransaction_JoinsIt_AndCommitsOrRollsBackWithIt()
    {
        await using var writes = new GroupCommit(_database);

        var joined = _database.InTransaction(() => writes.WriteAsync(() => Rows.Insert(new BsonDocument { ["_id"] = 1 })));
        Assert.Throws<InvalidOperationException>(() => _database.InTransaction(() =>
        {
            var inner = writes.WriteAsync(() => Rows.Insert(new BsonDocument { ["_id"] = 2 }));
            Assert.True(inner.IsCompletedSuccessfully); // done at once, on this thread: waiting for the writer would deadlock
            throw new InvalidOperationException("the outer change failed");
        }));

        Assert.True(joined.IsCompletedSuccessfully);
        Assert.Equal([1], Rows.FindAll().Select(r => r["_id"].AsInt32));
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

    [Fact]
    public async Task TheDatabasesWriter_IsShared_AndWhatWasQueuedIsWrittenBeforeTheFileCloses()
    {
        var path = Path.Combine(TempFolder.Create(), "platformbot.db");
        var database = PlatformDatabase.Open(path);
        Assert.Same(database.Writes, database.Writes);
        var gate = new ManualResetEventSlim();
        var first = database.Writes.WriteAsync(() => gate.Wait(TestContext.Current.CancellationToken));
        var queued = Enumerable.Range(1, 20).Select(i => database.Writes.WriteAsync(() => database.Collection<BsonDocument>("rows").Insert(new BsonDocument { ["_id"] = i }))).ToList();

        var closing = Task.Run(database.Dispose, TestContext.Current.CancellationToken);
        gate.Set();
        await closing;
        await first;
        await Task.WhenAll(queued);

        using var reopened = PlatformDatabase.Open(path);
        Assert.Equal(20, reopened.Collection<BsonDocument>("rows").Count());
    }
}
