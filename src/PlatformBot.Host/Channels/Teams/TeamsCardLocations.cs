using PlatformBot.Conversations;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Records where answered cards were posted (<see cref="ICardDirectory"/>) with group commit: answers that arrive together
/// share one LiteDB flush, and each waits until its card's location is durable.
/// </summary>
internal sealed partial class TeamsCardLocations(ICardDirectory cards, PlatformDatabase database, ILogger<TeamsCardLocations> logger) : IAsyncDisposable
{
    private readonly GroupCommit _writes = new(database);

    public async Task RecordAsync(string cardKey, PostedMessage posted)
    {
        try
        {
            await _writes.WriteAsync(() => cards.Record(cardKey, posted));
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The answer itself was delivered; only later in-place updates of this card are lost.
            LogFailed(ex, cardKey);
        }
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: where card {CardKey} was posted could not be recorded; it will not be updated in place")]
    private partial void LogFailed(Exception ex, string cardKey);
}
