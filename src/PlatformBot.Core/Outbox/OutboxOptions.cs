using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Outbox;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Attempts before a message becomes a dead letter.</summary>
    [Range(1, 100, ErrorMessage = "Outbox:MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The first retry's delay; each further one doubles, with ±20% jitter, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Outbox:InitialBackoff must be a TimeSpan between {1} and {2}.")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Outbox:MaxBackoff must be a TimeSpan between {1} and {2}.")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Messages per second to one conversation, per chat platform (Slack's chat.postMessage allows about one a second per
    /// channel; Teams seven a second per thread). 0 or absent: not limited.
    /// </summary>
    public Dictionary<string, double> RatePerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["slack"] = 1,
        ["teams"] = 7,
        ["dev"] = 1000,
    };

    /// <summary>
    /// Messages per second to all conversations of a chat platform together (Slack's workspace-wide limit of a few hundred
    /// a minute; Teams' 50 requests a second per app and tenant). 0 or absent: not limited.
    /// </summary>
    public Dictionary<string, double> TotalRatePerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["slack"] = 5,
        ["teams"] = 40,
    };

    /// <summary>How often the dispatcher looks for due messages when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Outbox:PollInterval must be a TimeSpan between {1} and {2}.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a delivered message is kept (its row answers "was this sent?" and makes queuing it again with the same key
    /// a no-op); after that it is deleted, so the database does not grow with every message ever sent. Dead letters stay
    /// until an admin replays them. At least 15 days: office hours queue their announcements (up to 14 days ahead) and
    /// host follow-ups again on every run and rely on these keys to send each once.
    /// </summary>
    [Range(typeof(TimeSpan), "15.00:00:00", "3650.00:00:00", ErrorMessage = "Outbox:KeepDelivered must be a TimeSpan between {1} and {2}.")]
    public TimeSpan KeepDelivered { get; set; } = TimeSpan.FromDays(30);

    [Range(1, 10_000, ErrorMessage = "Outbox:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 200;
}
