using LiteDB;

namespace PlatformBot.Storage;

/// <summary>
/// The one LiteDB database of the process: direct connection (never shared mode) with its on-disk log, which is what makes
/// it ACID, and its writes serialized across threads (<see cref="SerializedWritesEngine"/>: LiteDB 5.0.20 damages the file otherwise). Feature stores take their collections from here and group writes with <see cref="InTransaction"/>.
/// </summary>
public sealed class PlatformDatabase : IDisposable
{
    // The transaction InTransaction runs on this thread (its database and what waits for its commit); null outside one.
    [ThreadStatic]
    private static OpenTransaction? _open;

    private readonly LiteDatabase _db;
    private readonly FileStream? _lock;

    private readonly SerializedWritesEngine _engine;
    private GroupCommit? _writes;

    private PlatformDatabase(SerializedWritesEngine engine, string path, FileStream? processLock)
    {
        _engine = engine;
        _db = new LiteDatabase(engine, BsonMapper.Global, disposeOnClose: true);
        if (!_db.UtcDate)
        {
            // LiteDB stores UTC and by default hands dates back in the server's local time (Kind Local); compared with
            // UTC values or made into DateTimeOffsets at offset zero, those are hours off, or throw, on any server not
            // running in UTC. Read them as UTC (a pragma kept in the file).
            _db.UtcDate = true;
        }

        Path = path;
        _lock = processLock;
    }

    public string Path { get; }

    public ILiteDatabase Database => _db;

    /// <summary>True when the calling thread is inside <see cref="InTransaction{T}"/> on this database.</summary>
    public bool InTransactionOnThisThread => _open?.Database == this;

    /// <summary>Pages committed but not yet in the log file; 0 between commits, since a commit returns once durable.</summary>
    internal int QueuedPages => _engine.QueuedPages;

    /// <summary>Opens (or creates) the database file, with an error that names the path when it cannot.</summary>
    /// <exception cref="StorageException">The file is locked by another process, is not a LiteDB file, or cannot be created.</exception>
    public static PlatformDatabase Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        FileStream? processLock = null;
        FileStream? logFile = null;
        try
        {
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            // LiteDB's direct mode shares its file for reading, which lets a second process open it too; an exclusive
            // lock file beside it makes "one process per database" a fact instead of a hope.
            processLock = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            // The log file is LiteDB's own name for it, opened here so that durability costs one fsync per commit (DurableLog).
            var logPath = System.IO.Path.Combine(directory ?? string.Empty, System.IO.Path.GetFileNameWithoutExtension(full) + "-log" + System.IO.Path.GetExtension(full));
            logFile = new FileStream(logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
            var log = new LogFile(logFile);
            var engine = new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { Filename = full, LogStream = log });
            var database = new PlatformDatabase(new SerializedWritesEngine(engine, log), full, processLock);
            try
            {
                _ = database.Database.GetCollectionNames().Count(); // touches the header so a bad file fails here, not on first use
            }
            catch
            {
                database._db.Dispose();
                throw;
            }

            return database;
        }
        catch (IOException ex) when (IsLock(ex))
        {
            logFile?.Dispose();
            processLock?.Dispose();
            throw new StorageException($"The database file '{full}' is in use by another process. Stop the other PlatformBot, or set PlatformBot:DataDirectory to another folder. Nothing was changed.", ex);
        }
        catch (Exception ex) when (ex is not IOException and not UnauthorizedAccessException and not StorageException)
        {
            logFile?.Dispose();
            processLock?.Dispose();
            throw new StorageException($"The file '{full}' is not a PlatformBot (LiteDB) database or is damaged ({ex.Message}). It was left as it is; move it away or set PlatformBot:DataDirectory to another folder.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logFile?.Dispose();
            processLock?.Dispose();
            throw new StorageException($"The database file '{full}' cannot be opened: {ex.Message}", ex);
        }
    }

    /// <summary>An in-memory database for tests that do not restart.</summary>
    public static PlatformDatabase InMemory() =>
        new(new SerializedWritesEngine(new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { DataStream = new MemoryStream() })), ":memory:", null);

    public ILiteCollection<T> Collection<T>(string name) => _db.GetCollection<T>(name);

    /// <summary>
    /// The database's one group-commit writer: writes that any store queues here while others are queued share their
    /// transaction and its flush to disk (a ticket filed and another answer's card location, for example).
    /// </summary>
    public GroupCommit Writes => LazyInitializer.EnsureInitialized(ref _writes, () => new GroupCommit(this));

    /// <summary>
    /// Runs the writes in one transaction (LiteDB transactions belong to the calling thread; keep the action synchronous).
    /// A nested call joins the outer transaction.
    /// </summary>
    public T InTransaction<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!_db.BeginTrans())
        {
            return action();
        }

        var open = _open = new OpenTransaction(this, []);
        try
        {
            var result = action();
            if (open.Abandoned)
            {
                throw new AbandonedWorkException();
            }

            _db.Commit();
            _open = null;
            open.AfterCommit.ForEach(a => a());
            return result;
        }
        catch
        {
            _open = null;
            _db.Rollback();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction this thread is in has committed (at once when there is none),
    /// and never when it rolls back: a wake-up for what the transaction wrote must not come before others can read it.
    /// </summary>
    public static void AfterCommit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_open is { } open)
        {
            open.AfterCommit.Add(action);
        }
        else
        {
            action();
        }
    }

    /// <summary>
    /// Says that work running inside the transaction open on this thread failed part-way (it caught its own exception
    /// and answered with an apology): its writes are mixed with the transaction's others, and LiteDB has no savepoints,
    /// so the whole transaction rolls back instead of committing (<see cref="AbandonedWorkException"/>). Its owner may
    /// run the rest again without the failed work. Outside a transaction this does nothing: the work's writes committed
    /// (or not) as they went.
    /// </summary>
    public static void AbandonOpenWork()
    {
        if (_open is { } open)
        {
            open.Abandoned = true;
        }
    }

    /// <summary>
    /// Returns whether work inside the transaction open on this thread was abandoned, and clears the mark: for the owner of
    /// a batch that attributes the failure to the work it just ran and rolls the transaction back itself.
    /// </summary>
    public static bool TakeAbandonedWork()
    {
        if (_open is not { Abandoned: true } open)
        {
            return false;
        }

        open.Abandoned = false;
        return true;
    }

    public void InTransaction(Action action) => InTransaction(() =>
    {
        action();
        return true;
    });

    public void Dispose()
    {
        _writes?.DisposeAsync().AsTask().GetAwaiter().GetResult(); // what was queued is written before the file closes
        _db.Dispose();
        _lock?.Dispose();
    }

    private sealed record OpenTransaction(PlatformDatabase Database, List<Action> AfterCommit)
    {
        public bool Abandoned { get; set; }
    }

    private static bool IsLock(IOException ex) =>
        ex.HResult == 11 || ex.HResult == 32 || ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase);
}

public sealed class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A transaction held the writes of work that failed part-way (<see cref="PlatformDatabase.AbandonOpenWork"/>): it was rolled back, nothing of it stored.</summary>
public sealed class AbandonedWorkException : Exception
{
    public AbandonedWorkException()
        : base("Work inside the transaction failed part-way; the transaction was rolled back.")
    {
    }

    public AbandonedWorkException(string message)
        : base(message)
    {
    }

    public AbandonedWorkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
