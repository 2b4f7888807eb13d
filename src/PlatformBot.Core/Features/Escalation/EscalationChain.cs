using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.Escalation;

internal enum ChainStatus
{
    /// <summary>Walking its levels; <see cref="EscalationChain.NextAt"/> says when it moves next.</summary>
    Active,
    Acknowledged,

    /// <summary>Every level of every round was paged and nobody acknowledged.</summary>
    Exhausted,

    /// <summary>Stopped because the ticket was resolved, or is gone.</summary>
    Cancelled,
}

/// <summary>
/// One escalation of one ticket for one trigger, as stored: where it stands and when it moves next. The sweep moves every
/// active chain whose <see cref="NextAt"/> has come, so a restart continues each chain at the right time.
/// </summary>
internal sealed class EscalationChain
{
    /// <summary><c>{ticket}:{trigger}</c>, e.g. <c>PLAT-42:sla-breached</c> or <c>PLAT-42:manual-2</c>; a trigger starts one chain once.</summary>
    [BsonId]
    public string Id { get; set; } = "";

    public string TicketId { get; set; } = "";

    /// <summary>What started it: <c>created</c>, <c>sla-warning</c>, <c>sla-breached</c> or <c>manual-{n}</c>.</summary>
    public string Trigger { get; set; } = "";

    /// <summary>Why, in words, for the pings: "SLA breached (first response)", "escalated by alice: prod is down".</summary>
    public string Why { get; set; } = "";

    /// <summary>The user key of whoever escalated by hand.</summary>
    public string? TriggeredBy { get; set; }

    public bool TriggeredByRequester { get; set; }

    public string Policy { get; set; } = "";

    public string Priority { get; set; } = "";

    public string? Category { get; set; }

    public DateTime StartedAt { get; set; }

    public ChainStatus Status { get; set; }

    /// <summary>The level paged at <see cref="NextAt"/> (past the last level: the next round, or the end).</summary>
    public int NextLevel { get; set; }

    public int Round { get; set; }

    /// <summary>UTC instant of the next move; null once the chain has stopped.</summary>
    public DateTime? NextAt { get; set; }

    /// <summary>The wait of the level paged last; a snooze or a reassignment gives the new person that long again.</summary>
    public TimeSpan LastAfter { get; set; }

    public bool WaitingForHours { get; set; }

    /// <summary>Person ids paged so far (any of them may acknowledge), in order.</summary>
    public List<string> Paged { get; set; } = [];

    /// <summary>Card keys of the pings sent, so they can say "acknowledged by …" afterwards.</summary>
    public List<string> PageCards { get; set; } = [];

    /// <summary>After a snooze, the person to page again when it ends.</summary>
    public string? RepagePerson { get; set; }

    public int Snoozes { get; set; }

    public int Reassignments { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTime? AcknowledgedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>The chain's own trail (also written to the ticket's audit trail).</summary>
    public List<ChainEvent> History { get; set; } = [];

    public string Level(int index) => $"level {index + 1}" + (Round > 0 ? $" (repeat {Round})" : string.Empty);
}

internal sealed class ChainEvent
{
    public DateTime At { get; set; }

    public string Text { get; set; } = "";
}

/// <summary>The chains in the platform database, indexed by their next due time.</summary>
internal sealed class EscalationChainStore
{
    private readonly ILiteCollection<EscalationChain> _chains;

    public EscalationChainStore(Storage.PlatformDatabase database)
    {
        _chains = database.Collection<EscalationChain>("escalation_chains");
        _chains.EnsureIndex(c => c.NextAt);
        _chains.EnsureIndex(c => c.TicketId);
    }

    public EscalationChain? Get(string id) => _chains.ById(id);

    public void Insert(EscalationChain chain) => _chains.Insert(chain);

    public void Update(EscalationChain chain) => _chains.Update(chain);

    public IReadOnlyList<EscalationChain> Due(DateTimeOffset now, int max)
    {
        var utc = now.UtcDateTime;
        return [.. _chains.Query().Where(c => c.NextAt != null && c.NextAt <= utc).OrderBy(c => c.NextAt).Limit(max).ToEnumerable().Where(c => c.Status == ChainStatus.Active)];
    }

    public IReadOnlyList<EscalationChain> ForTicket(string ticketId) =>
        [.. _chains.Find(c => c.TicketId == ticketId).OrderBy(c => c.StartedAt)];

    public EscalationChain? ActiveFor(string ticketId) => ForTicket(ticketId).LastOrDefault(c => c.Status == ChainStatus.Active);

    public int CountActive() => _chains.Count(c => c.Status == ChainStatus.Active);
}
