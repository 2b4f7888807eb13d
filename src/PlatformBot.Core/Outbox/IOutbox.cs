using PlatformBot.Conversations;

namespace PlatformBot.Outbox;

/// <summary>
/// Messages for other conversations and for later: escalation pings, SLA warnings, survey prompts. Written in the same
/// LiteDB transaction as the change that caused them (call it inside <c>PlatformDatabase.InTransaction</c>), delivered
/// by the dispatcher with retries, rate limits and dead letters.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues a message. Returns false, and queues nothing, when the idempotency key was queued before.</summary>
    bool Enqueue(OutboundMessage message);
}

/// <param name="IdempotencyKey">Names the message's cause (<c>sla-warning:PLAT-42:resolution:0.75</c>): the same key is sent once.</param>
public sealed record OutboundMessage(string IdempotencyKey, Destination Destination, Reply Reply)
{
    /// <summary>Not to be delivered before this instant (a reminder, a quiet-hours wait).</summary>
    public DateTimeOffset? NotBefore { get; init; }
}
