using LiteDB;

namespace PlatformBot.Outbox;

public enum OutboxStatus
{
    Pending,
    Delivered,
    DeadLetter,
}

/// <summary>An outbox row as stored. The destination and the reply are kept as JSON so their shape can evolve freely.</summary>
public sealed class OutboxRecord
{
    [BsonId]
    public string Key { get; set; } = "";

    /// <summary>The channel whose rate limit this message spends (for cards: resolved at delivery).</summary>
    public string? Channel { get; set; }

    public string DestinationJson { get; set; } = "";

    /// <summary>For an update of a card in place: the card's key. A newer update of the same card supersedes this one.</summary>
    public string? UpdatesCard { get; set; }

    public string ReplyJson { get; set; } = "";

    public OutboxStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Queue order: messages due at the same instant go out in the order they were queued.</summary>
    public long Sequence { get; set; }

    /// <summary>UTC instant after which the dispatcher may try (again).</summary>
    public DateTime DueAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>Places already served, for messages that go to several (a card posted in two channels): never twice.</summary>
    public List<string> DoneTargets { get; set; } = [];

    /// <summary>A short text of what the message says, for the admin's dead-letter list.</summary>
    public string Preview { get; set; } = "";
}
