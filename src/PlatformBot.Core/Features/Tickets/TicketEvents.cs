using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Tickets;

// What the Tickets feature tells other features (Escalation listens to SLA events, Surveys to resolutions).
// Published through IDomainEvents in the transaction of the change; handlers run after it committed.

public sealed record TicketCreated(string TicketId, string Summary, TicketPriority Priority, UserRef Requester, string? Category, string? Service, DateTimeOffset At) : IDomainEvent
{
    /// <summary>What the ticket was filed from, as its request named it (<c>kb:{question id}</c> from a knowledge answer's form).</summary>
    public string? FiledFrom { get; init; }
}

public sealed record TicketAcknowledged(string TicketId, UserRef Agent, DateTimeOffset At) : IDomainEvent;

/// <summary>
/// An agent's response stopped a response clock: <see cref="SlaMetric.FirstResponse"/> (his first public reply, or an
/// acknowledgement, on the ticket or on its page), or <see cref="SlaMetric.NextResponse"/> (his reply to the requester's
/// unanswered comments).
/// </summary>
public sealed record TicketResponded(string TicketId, SlaMetric Metric, UserRef Agent, DateTimeOffset At) : IDomainEvent;

public sealed record TicketAssigned(string TicketId, UserRef Assignee, UserRef By, DateTimeOffset At) : IDomainEvent;

public sealed record TicketWaitingOnRequester(string TicketId, UserRef Requester, DateTimeOffset At) : IDomainEvent;

public sealed record TicketResolved(string TicketId, UserRef Requester, UserRef ResolvedBy, string? Note, TimeSpan TimeToResolve, DateTimeOffset At) : IDomainEvent;

public sealed record TicketReopened(string TicketId, UserRef By, DateTimeOffset At) : IDomainEvent;

public sealed record TicketClosed(string TicketId, UserRef By, DateTimeOffset At) : IDomainEvent;

public sealed record TicketPriorityChanged(string TicketId, TicketPriority From, TicketPriority To, UserRef By, DateTimeOffset At) : IDomainEvent;

/// <summary>A warning fraction of a target was reached (raised once per ticket, target and fraction).</summary>
public sealed record SlaWarning(string TicketId, SlaMetric Metric, double Fraction, TicketPriority Priority, DateTimeOffset DueAt, UserRef? Assignee, DateTimeOffset At) : IDomainEvent;

/// <summary>A target ran out (raised once per ticket and target; for next response, once per round).</summary>
public sealed record SlaBreached(string TicketId, SlaMetric Metric, TicketPriority Priority, DateTimeOffset DueAt, UserRef? Assignee, DateTimeOffset At) : IDomainEvent;

/// <summary>Someone pressed Escalate on a ticket; the Escalation feature starts its chain when it handles this.</summary>
public sealed record TicketEscalationRequested(string TicketId, TicketPriority Priority, UserRef By, DateTimeOffset At) : IDomainEvent;
