using PlatformBot.Conversations;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// What other features may do with tickets (Knowledge files one when an answer did not help, Escalation acknowledges one
/// when a page is acknowledged, Insights reads SLA figures). Everything else in this folder is internal.
/// </summary>
public interface ITickets
{
    /// <summary>
    /// Files a ticket. With an <see cref="TicketRequest.IdempotencyKey"/> (a Slack message ts, a form id), a second call
    /// files nothing and returns the first ticket with <see cref="TicketFiling.AlreadyFiled"/> ("already filed as PLAT-12").
    /// </summary>
    Task<TicketFiling> FileAsync(TicketRequest request, CancellationToken cancellationToken);

    TicketInfo? Find(string id);

    /// <summary>A ticket id as people type it (<c>PLAT-42</c>, <c>plat-42</c>, <c>#42</c>, <c>42</c>) as stored (<c>PLAT-42</c>); null when it is none.</summary>
    string? NormalizeId(string typed);

    IReadOnlyList<TicketInfo> OpenTicketsOf(UserRef user);

    /// <summary>The ticket's comment thread, oldest first (the bot's own remarks included and marked); empty when there is no such ticket.</summary>
    IReadOnlyList<TicketCommentInfo> Comments(string id);

    /// <summary>Open tickets with a clock that breaches within <paramref name="within"/> from now (not yet breached), earliest first.</summary>
    IReadOnlyList<TicketInfo> AboutToBreach(TimeSpan within, int max = 100);

    /// <summary>Adds a comment written by the bot or a feature: it never counts as a response. False when there is no such ticket.</summary>
    Task<bool> AddSystemCommentAsync(string id, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Records that an agent acknowledged the ticket elsewhere (an escalation page): the ticket becomes Acknowledged when
    /// it was New, and, when nobody has answered the open ticket yet, in whatever state (taken, reopened), the first
    /// response is met. Returns the ticket, or null when there is no such ticket or the person is not an agent.
    /// </summary>
    /// <param name="at">When the agent acknowledged (a queued acknowledgement arrives later); no later than now.</param>
    Task<TicketInfo?> AcknowledgeAsync(string id, UserRef agent, DateTimeOffset at, ConversationAddress via, CancellationToken cancellationToken);

    /// <summary>The new-ticket form (form id <c>ticket.form</c>), pre-filled; its submission files the ticket.</summary>
    Form NewTicketForm(TicketDraft? draft = null);

    /// <summary>The ticket's card (card key <c>ticket:{id}</c>), or null when there is no such ticket.</summary>
    Reply? Card(string id);

    /// <summary>SLA attainment and time to resolve over a period, from the stored tickets.</summary>
    SlaFigures Figures(DateTimeOffset from, DateTimeOffset to);
}

public sealed record TicketRequest(UserRef Requester, string Summary, ConversationAddress Source)
{
    public string? Description { get; init; }

    public TicketPriority Priority { get; init; } = TicketPriority.P3;

    public string? Category { get; init; }

    public string? Service { get; init; }

    /// <summary>Names what this filing answers (a chat message id): the same key files once.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who files it when not the requester himself (an agent on his behalf); null for the requester.</summary>
    public UserRef? FiledBy { get; init; }
}

/// <param name="Ticket">The ticket filed, or filed before under the same key; null when the request was refused.</param>
/// <param name="Reply">The ticket's card, or the refusal to show.</param>
public sealed record TicketFiling(TicketInfo? Ticket, bool AlreadyFiled, Reply Reply);

public sealed record TicketInfo(
    string Id,
    string Summary,
    TicketPriority Priority,
    TicketState State,
    UserRef Requester,
    UserRef? Assignee,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstResponseDue,
    DateTimeOffset? ResolutionDue,
    bool Breached)
{
    public string CardKey => "ticket:" + Id;

    /// <summary>The ticket's category, when it has one (escalation rules pick a policy by it).</summary>
    public string? Category { get; init; }
}

/// <summary>One comment on a ticket. <paramref name="Text"/> is the author's text as written (user text: escape it).</summary>
/// <param name="BySystem">Written by the bot or a feature (an escalation note), not by a person.</param>
public sealed record TicketCommentInfo(DateTimeOffset At, UserRef Author, string Text, bool ByAgent, bool BySystem);

/// <summary>What the new-ticket form shows when it opens (Knowledge pre-fills the question).</summary>
public sealed record TicketDraft(
    string? Title = null,
    string? Description = null,
    TicketPriority? Priority = null,
    string? Category = null,
    string? Service = null,
    string? IdempotencyKey = null);

public sealed record SlaAttainment(SlaMetric Metric, int Met, int Breached)
{
    /// <summary>Met / (met + breached), or null when nothing was measured.</summary>
    public double? Rate => Met + Breached == 0 ? null : Met / (double)(Met + Breached);
}

/// <param name="FirstResponse">
/// Over tickets filed in the period whose first response was given or breached (one closed unanswered within its target
/// counts in neither).
/// </param>
/// <param name="Resolution">Over tickets resolved in the period.</param>
/// <param name="MeanTimeToResolve">Wall-clock time from filing to resolution, over tickets resolved in the period.</param>
public sealed record SlaFigures(
    DateTimeOffset From,
    DateTimeOffset To,
    int Filed,
    int Resolved,
    SlaAttainment FirstResponse,
    SlaAttainment Resolution,
    TimeSpan? MeanTimeToResolve,
    TimeSpan? MedianTimeToResolve);
