using PlatformBot.Conversations;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Records where answered cards were posted (<see cref="ICardDirectory"/>) with the database's group commit: a location
/// shares its LiteDB flush with whatever else is being written (the tickets being filed), and each waits until it is
/// durable.
/// </summary>
internal sealed partial class TeamsCardLocations(ICardDirectory cards, PlatformDatabase database, ILogger<TeamsCardLocations> logger)
{
    public async Task RecordAsync(string cardKey, PostedMessage posted)
    {
        try
        {
            await database.Writes.WriteAsync(() => cards.Record(cardKey, posted));
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The answer itself was delivered; only later in-place updates of this card are lost.
            LogFailed(ex, cardKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: where card {CardKey} was posted could not be recorded; it will not be updated in place")]
    private partial void LogFailed(Exception ex, string cardKey);
}
