using System.Reflection;
using LiteDB.Engine;

namespace PlatformBot.Storage;

/// <summary>
/// Makes a LiteDB commit durable when it returns, with one fsync per commit.
/// <para>
/// LiteDB 5.0.20's <c>Commit</c> hands the transaction's pages to a background log writer, which fsyncs the log file
/// whenever its queue runs empty. Its wake-up runs the writer's continuation inline on the committing thread, page by
/// page, so a commit of 80 dirty pages did 80 fsyncs (99 % of a commit's time in a profile of the Slack benchmark),
/// and when the writer does run on its own thread, Commit returns before the pages are written at all.
/// </para>
/// <para>
/// So <see cref="PlatformDatabase"/> opens the log file itself and gives LiteDB the stream: LiteDB then flushes it without
/// fsync, and <see cref="Flush"/>, called after each commit inside the write gate, waits until the writer has written
/// everything queued and fsyncs the log once. The wait is reached by reflection on the LiteDB version pinned in
/// Directory.Packages.props; a version without it fails at open, loudly, rather than losing durability silently.
/// </para>
/// </summary>
internal sealed class DurableLog
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private const BindingFlags Public = BindingFlags.Instance | BindingFlags.Public;

    private readonly LogFile? _file;

    // Null for an engine that is not LiteDB's own (nothing to wait for).
    private readonly Func<bool>? _anythingQueued;
    private readonly Action? _waitForWriter;
    private readonly Func<int>? _queued;

    /// <param name="file">The log file LiteDB was given as its log stream; null for a database in memory.</param>
    public DurableLog(ILiteEngine engine, LogFile? file)
    {
        _file = file;
        if (engine is not LiteEngine)
        {
            return;
        }

        var disk = typeof(LiteEngine).GetField("_disk", Private)?.GetValue(engine) ?? throw Unsupported("LiteEngine._disk");
        var queue = disk.GetType().GetProperty("Queue", Public)?.GetValue(disk) ?? throw Unsupported("DiskService.Queue");
        var lazy = queue.GetType(); // Lazy<DiskWriterQueue>, created at the first commit
        var writerType = lazy.GetGenericArguments().Single();
        var wait = writerType.GetMethod("Wait", Public, Type.EmptyTypes) ?? throw Unsupported("DiskWriterQueue.Wait");
        var length = writerType.GetProperty("Length", Public) ?? throw Unsupported("DiskWriterQueue.Length");
        var isCreated = lazy.GetProperty(nameof(Lazy<object>.IsValueCreated))!;
        var value = lazy.GetProperty(nameof(Lazy<object>.Value))!;
        _anythingQueued = () => (bool)isCreated.GetValue(queue)!;
        _waitForWriter = () => wait.Invoke(value.GetValue(queue), null);
        _queued = () => _anythingQueued() ? (int)length.GetValue(value.GetValue(queue))! : 0;
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
        _file?.FlushToDisk();
    }

    private static StorageException Unsupported(string member) =>
        new($"This LiteDB version has no {member}, which PlatformBot needs to make commits durable before it acknowledges them. Use the LiteDB version in Directory.Packages.props.");
}
