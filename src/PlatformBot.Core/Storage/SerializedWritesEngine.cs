using LiteDB;
using LiteDB.Engine;

namespace PlatformBot.Storage;

/// <summary>
/// LiteDB 5.0.20 corrupts its page free lists when writes on different threads overlap: an explicit transaction on one
/// collection beside inserts and deletes on another fails with "empty page must be defined as empty type" or "stored slot
/// must be same as called", and the file stays damaged (reproduced in ConcurrentWritesTests; 5.0.20 is the newest on the
/// feed). So every write takes one process-wide gate: an explicit transaction holds it from BeginTrans to Commit or
/// Rollback on its own thread (a LiteDB transaction belongs to its thread), a single write for its duration. Reads are
/// not gated. LiteDB takes an exclusive lock per collection for writes anyway, so little concurrency is lost.
/// </summary>
internal sealed class SerializedWritesEngine(ILiteEngine inner, LogFile? logFile = null) : ILiteEngine
{
    // Monitor: re-entrant and owned by a thread, like a LiteDB transaction.
    private readonly object _gate = new();
    private readonly DurableLog _log = new(inner, logFile);

    /// <summary>Pages committed but not yet written to the log file: 0 whenever no commit is under way.</summary>
    public int QueuedPages => _log.QueuedPages;

    // True while the thread holding the gate is in an explicit transaction (read and written only under the gate).
    private bool _inTransaction;

    public bool BeginTrans()
    {
        Monitor.Enter(_gate);
        bool began;
        try
        {
            began = inner.BeginTrans();
        }
        catch
        {
            Monitor.Exit(_gate);
            throw;
        }

        if (began)
        {
            _inTransaction = true;
        }
        else
        {
            Monitor.Exit(_gate); // joined the transaction this thread already holds the gate for
        }

        return began;
    }

    /// <summary>Commits and returns once the transaction is on disk (<see cref="DurableLog"/>), still inside the gate.</summary>
    public bool Commit() => EndTransaction(() =>
    {
        var committed = inner.Commit();
        if (committed)
        {
            _log.Flush();
        }

        return committed;
    });

    public bool Rollback() => EndTransaction(inner.Rollback);

    public IBsonDataReader Query(string collection, Query query) => inner.Query(collection, query);

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Gated(() => inner.Insert(collection, docs, autoId));

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Gated(() => inner.Update(collection, docs));

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Gated(() => inner.UpdateMany(collection, transform, predicate));

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Gated(() => inner.Upsert(collection, docs, autoId));

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Gated(() => inner.Delete(collection, ids));

    public int DeleteMany(string collection, BsonExpression predicate) => Gated(() => inner.DeleteMany(collection, predicate));

    public bool DropCollection(string name) => Gated(() => inner.DropCollection(name));

    public bool RenameCollection(string name, string newName) => Gated(() => inner.RenameCollection(name, newName));

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Gated(() => inner.EnsureIndex(collection, name, expression, unique));

    public bool DropIndex(string collection, string name) => Gated(() => inner.DropIndex(collection, name));

    public BsonValue Pragma(string name) => inner.Pragma(name);

    public bool Pragma(string name, BsonValue value) => Gated(() => inner.Pragma(name, value));

    public int Checkpoint() => Gated(inner.Checkpoint);

    public long Rebuild(RebuildOptions options) => Gated(() => inner.Rebuild(options));

    public void Dispose()
    {
        lock (_gate)
        {
            inner.Dispose(); // drains LiteDB's writer and checkpoints: nothing left to flush
            if (logFile is not null)
            {
                var empty = logFile.Length == 0;
                logFile.Dispose();
                if (empty)
                {
                    File.Delete(logFile.Name); // as LiteDB does with a log file it opened itself
                }
            }
        }
    }

    /// <summary>A single write: inside an explicit transaction it joins it; alone it commits, and returns once durable.</summary>
    private T Gated<T>(Func<T> write)
    {
        lock (_gate)
        {
            var joined = _inTransaction;
            var result = write();
            if (!joined)
            {
                _log.Flush();
            }

            return result;
        }
    }

    private bool EndTransaction(Func<bool> end)
    {
        try
        {
            return end();
        }
        finally
        {
            if (Monitor.IsEntered(_gate))
            {
                _inTransaction = false;
                Monitor.Exit(_gate);
            }
        }
    }
}
