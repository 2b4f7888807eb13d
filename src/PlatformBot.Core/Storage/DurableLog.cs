using System.Reflection;
using LiteDB.Engine;

namespace PlatformBot.Storage;

/// <summary>
/// Makes a LiteDB commit durable when it returns. LiteDB 5.0.20's <c>Commit</c> only queues the transaction's pages for a
/// background writer, which writes them to the log file and fsyncs it some time later: a process killed right after
/// Commit returned loses a transaction the caller already acknowledged. <see cref="Flush"/> waits until that writer has
/// written everything queued and then fsyncs the log file itself (both cost well under a millisecond for a batch here).
/// LiteDB exposes neither, so they are reached by reflection on the version pinned in Directory.Packages.props; if a new
/// version renames them, opening the database fails loudly (DurableLogTests) instead of silently losing durability.
/// </summary>
internal sealed class DurableLog
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private const BindingFlags Public = BindingFlags.Instance | BindingFlags.Public;

    // Null for an engine that is not LiteDB's own (nothing to flush).
    private readonly Func<bool>? _anythingQueued;
    private readonly Action? _waitForWriter;
    private readonly Func<int>? _queued;
    private readonly Func<Stream>? _log;

    public DurableLog(ILiteEngine engine)
    {
        if (engine is not LiteEngine)
        {
            return;
        }

        var disk = Field(engine, typeof(LiteEngine), "_disk");
        var queue = disk.GetType().GetProperty("Queue", Public)?.GetValue(disk) ?? throw Unsupported("DiskService.Queue");
        var lazy = queue.GetType(); // Lazy<DiskWriterQueue>, created at the first commit
        var wait = lazy.GetGenericArguments().Single().GetMethod("Wait", Public, Type.EmptyTypes) ?? throw Unsupported("DiskWriterQueue.Wait");
        var logPool = Field(disk, disk.GetType(), "_logPool");
        var writer = logPool.GetType().GetProperty("Writer", Public) ?? throw Unsupported("StreamPool.Writer");
        _anythingQueued = () => (bool)lazy.GetProperty(nameof(Lazy<object>.IsValueCreated))!.GetValue(queue)!;
        _waitForWriter = () => wait.Invoke(lazy.GetProperty(nameof(Lazy<object>.Value))!.GetValue(queue), null);
        _log = () => (Stream)writer.GetValue(logPool)!;
        var length = lazy.GetGenericArguments().Single().GetProperty("Length", Public) ?? throw Unsupported("DiskWriterQueue.Length");
        _queued = () => _anythingQueued() ? (int)length.GetValue(lazy.GetProperty(nameof(Lazy<object>.Value))!.GetValue(queue))! : 0;
    }

    /// <summary>Pages committed but not yet handed to the log file (what a killed process would lose).</summary>
    public int QueuedPages => _queued?.Invoke() ?? 0;

    /// <summary>Waits for the log writer to drain, then fsyncs the log. Call it on the committing thread, inside the write gate.</summary>
    public void Flush()
    {
        if (_anythingQueued is null || !_anythingQueued())
        {
            return;
        }

        _waitForWriter!();
        switch (_log!())
        {
            case FileStream file:
                file.Flush(flushToDisk: true);
                break;
            case { } other:
                other.Flush();
                break;
        }
    }

    private static object Field(object owner, Type type, string name) =>
        type.GetField(name, Private)?.GetValue(owner) ?? throw Unsupported($"{type.Name}.{name}");

    private static StorageException Unsupported(string member) =>
        new($"This LiteDB version has no {member}, which PlatformBot needs to make commits durable before it acknowledges them. Use the LiteDB version in Directory.Packages.props.");
}
