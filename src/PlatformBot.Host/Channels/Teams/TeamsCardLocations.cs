using System.Threading.Channels;
using PlatformBot.Conversations;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Records where answered cards were posted (<see cref="ICardDirectory"/>) with group commit: every LiteDB commit is a flush
/// to disk, so answers that arrive together share one transaction, and each waits until its card's location is durable.
/// </summary>
internal sealed partial class TeamsCardLocations : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly ICardDirectory _cards;
    private readonly PlatformDatabase _database;
    private readonly ILogger<TeamsCardLocations> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public TeamsCardLocations(ICardDirectory cards, PlatformDatabase database, ILogger<TeamsCardLocations> logger)
    {
        _cards = cards;
        _database = database;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public Task RecordAsync(string cardKey, PostedMessage posted)
    {
        var pending = new Pending(cardKey, posted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                _database.InTransaction(() =>
                {
                    foreach (var item in batch)
                    {
                        _cards.Record(item.CardKey, item.Posted);
                    }
                });
                batch.ForEach(item => item.Done.TrySetResult());
            }
            catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidOperationException)
            {
                LogFailed(ex, batch.Count);
                batch.ForEach(item => item.Done.TrySetException(ex));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: {Count} card location(s) could not be recorded; those cards will not be updated in place")]
    private partial void LogFailed(Exception ex, int count);

    private sealed record Pending(string CardKey, PostedMessage Posted, TaskCompletionSource Done);
}
