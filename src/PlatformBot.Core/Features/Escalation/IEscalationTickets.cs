using PlatformBot.Conversations;

namespace PlatformBot.Features.Escalation;

/// <summary>What escalation needs to know about a ticket.</summary>
/// <param name="SlaState">The SLA in a few words for the ping ("first response due 10:30", "breached 12 min ago").</param>
internal sealed record TicketFacts(string Id, string Summary, string Priority, string? Category, string SlaState, UserRef Requester, bool IsOpen);

/// <summary>The escalation feature's seam to tickets: facts, first response, audit trail.</summary>
internal interface IEscalationTickets
{
    TicketFacts? Find(string ticketId);

    /// <summary>A ticket id as typed (<c>42</c>, <c>plat-42</c>) as the Tickets feature stores it; null when it is none.</summary>
    string? NormalizeId(string typed);

    /// <summary>An agent acknowledged a page for the ticket: it counts as the ticket's first response.</summary>
    void RecordAcknowledgement(string ticketId, UserRef by, DateTimeOffset at);

    /// <summary>A line in the ticket's audit trail.</summary>
    void Audit(string ticketId, UserRef? by, string text, DateTimeOffset at);

    /// <summary>
    /// Hands what <see cref="RecordAcknowledgement"/> and <see cref="Audit"/> recorded to the ticket. Those two are called
    /// inside escalation's transactions; this runs after them, outside any transaction.
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>The card key of a ticket's card; its thread is the ticket's thread.</summary>
internal static class TicketCards
{
    public static string Key(string ticketId) => "ticket:" + ticketId;
}
