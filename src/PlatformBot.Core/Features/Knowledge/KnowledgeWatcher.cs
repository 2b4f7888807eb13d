using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// Loads the knowledge index when the host starts (the host is not ready before), then follows the folders: each changed,
/// created, renamed or deleted Markdown file is reindexed on its own, a moment after its last change.
/// </summary>
internal sealed partial class KnowledgeWatcher(KnowledgeBase knowledge, SectionEmbeddings embeddings, ILogger<KnowledgeWatcher> logger) : BackgroundService
{
    /// <summary>Editors save in bursts (temp file, rename, touch); wait for quiet before reindexing.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private const string EverythingMarker = "";

    private readonly Channel<string> _changes = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly List<FileSystemWatcher> _watchers = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        knowledge.Load();
        if (knowledge.Options.Watch)
        {
            foreach (var folder in knowledge.Folders.Where(Directory.Exists))
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Changed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
                watcher.Created += (_, e) => _changes.Writer.TryWrite(e.FullPath);
                watcher.Deleted += (_, e) => _changes.Writer.TryWrite(e.FullPath);
                watcher.Renamed += (_, e) =>
                {
                    _changes.Writer.TryWrite(e.OldFullPath);
                    _changes.Writer.TryWrite(e.FullPath);
                };
                watcher.Error += (_, e) =>
                {
                    LogWatcherError(e.GetException());
                    _changes.Writer.TryWrite(EverythingMarker);
                };
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EmbedAsync(stoppingToken);
        var pending = new HashSet<string>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                pending.Add(await _changes.Reader.ReadAsync(stoppingToken));
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    quiet.CancelAfter(Quiet);
                    try
                    {
                        while (await _changes.Reader.WaitToReadAsync(quiet.Token))
                        {
                            while (_changes.Reader.TryRead(out var more))
                            {
                                pending.Add(more);
                            }

                            quiet.CancelAfter(Quiet);
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // quiet: go and index
                    }
                }

                Apply(pending);
                await EmbedAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogUpdateFailed(ex); // one bad file or a busy index must not stop the bot; the next change tries again
            }
            finally
            {
                pending.Clear();
            }
        }
    }

    public override void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        base.Dispose();
    }

    /// <summary>New or changed sections get their vectors (when embeddings are on); a failure leaves BM25 alone in charge.</summary>
    private async Task EmbedAsync(CancellationToken stoppingToken)
    {
        if (!embeddings.Enabled)
        {
            return;
        }

        try
        {
            await embeddings.RefreshAsync(knowledge, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogEmbeddingFailed(ex); // the embedding service down must not stop the bot: search runs on words alone
        }
    }

    private void Apply(HashSet<string> paths)
    {
        // A folder was renamed or removed, or the watcher lost events: compare everything (only changed files are reindexed).
        if (paths.Contains(EverythingMarker) || paths.Any(Directory.Exists) || paths.Any(p => !p.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !File.Exists(p)))
        {
            knowledge.Sync();
            return;
        }

        foreach (var path in paths.Where(p => p.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            knowledge.Refresh(path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The knowledge folder watcher lost track; rescanning the folders")]
    private partial void LogWatcherError(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding the knowledge sections failed; searching with BM25 alone until the next change")]
    private partial void LogEmbeddingFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Updating the knowledge index failed; the next change retries")]
    private partial void LogUpdateFailed(Exception ex);
}
