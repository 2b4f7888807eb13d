using LiteDB;
using LiteDB.Engine;

namespace PlatformBot.Storage;

/// <summary>
/// The LiteDB engine with its writes taken one at a time. LiteDB 5.0.20 (the newest the feed serves) corrupts its list of
/// free pages when transactions on different collections write at once (upstream #2503, #2825: "ENSURE: empty page must
/// be defined as empty type", after which the engine refuses everything). Request threads, the outbox dispatcher, the
/// event bus and the sweeps all write, so every write here holds one lock: an explicit transaction from its begin to its
/// commit or rollback on that thread (LiteDB transactions belong to a thread), an automatic one for its call. Reads never
/// wait. The lock is re-entrant, so writes inside a transaction of the same thread go straight through.
/// </summary>
internal sealed class SerializedWriteEngine(ILiteEngine inner) : ILiteEngine
{
    private readonly Lock _writes = new();
    private readonly ThreadLocal<int> _held = new();

    public bool BeginTrans()
    {
        _writes.Enter();
        var began = false;
        try
        {
            began = inner.BeginTrans();
            return began;
        }
        finally
        {
            if (began)
            {
                _held.Value++;
            }
            else
            {
                _writes.Exit(); // a transaction was already open on this thread, and holds the lock
            }
        }
    }

    public bool Commit() => EndTransaction(inner.Commit);

    public bool Rollback() => EndTransaction(inner.Rollback);

    public IBsonDataReader Query(string collection, Query query) => inner.Query(collection, query);

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(() => inner.Insert(collection, docs, autoId));

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Write(() => inner.Update(collection, docs));

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Write(() => inner.UpdateMany(collection, transform, predicate));

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(() => inner.Upsert(collection, docs, autoId));

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Write(() => inner.Delete(collection, ids));

    public int DeleteMany(string collection, BsonExpression predicate) => Write(() => inner.DeleteMany(collection, predicate));

    public bool DropCollection(string name) => Write(() => inner.DropCollection(name));

    public bool RenameCollection(string name, string newName) => Write(() => inner.RenameCollection(name, newName));

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Write(() => inner.EnsureIndex(collection, name, expression, unique));

    public bool DropIndex(string collection, string name) => Write(() => inner.DropIndex(collection, name));

    public BsonValue Pragma(string name) => inner.Pragma(name);

    public bool Pragma(string name, BsonValue value) => Write(() => inner.Pragma(name, value));

    public int Checkpoint() => Write(inner.Checkpoint);

    public long Rebuild(RebuildOptions options) => Write(() => inner.Rebuild(options));

    public void Dispose()
    {
        inner.Dispose();
        _held.Dispose();
    }

    private T Write<T>(Func<T> write)
    {
        lock (_writes)
        {
            return write();
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
            if (_held.Value > 0)
            {
                _held.Value--;
                _writes.Exit();
            }
        }
    }
}
