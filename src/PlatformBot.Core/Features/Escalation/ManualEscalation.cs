using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// <c>/escalate &lt;ticket&gt; &lt;reason&gt;</c> and the ticket card's Escalate button: agents at any time, requesters for
/// their own tickets once per <c>Escalation:RequesterCooldown</c>; a reason always.
/// </summary>
internal sealed class ManualEscalation(EscalationEngine engine, IEscalationTickets tickets, IRoles roles, IOptions<EscalationOptions> options)
{
    public const int MaxReasonLength = 500;

    /// <param name="ticketId">As typed: <c>PLAT-42</c>, <c>plat-42</c> or <c>42</c>, like <c>/ticket</c> takes it.</param>
    public Reply Escalate(UserRef user, string ticketId, string reason)
    {
        reason = reason.Trim();
        var id = tickets.NormalizeId(ticketId);
        var ticket = id is null ? null : tickets.Find(id);
        if (ticket is null)
        {
            return Reply.Private(Md.Text($"I can't find the ticket {id ?? ticketId.Trim()}. Check its id (like `PLAT-42`)."));
        }

        if (!ticket.IsOpen)
        {
            return Reply.Private(Md.Text($"{ticket.Id} is resolved, so there is nothing to escalate. Reopen it first if the problem is back."));
        }

        if (reason.Length == 0)
        {
            return Reply.Private(Md.Text($"Say why you escalate {ticket.Id}: `/escalate {ticket.Id} <reason>`."));
        }

        if (reason.Length > MaxReasonLength)
        {
            return Reply.Private(Md.Text($"Keep the reason under {MaxReasonLength} characters (it goes into the pages); add details in the ticket's thread."));
        }

        var agent = roles.IsAgent(user);
        if (!agent && !ticket.Requester.Is(user))
        {
            return Reply.Private(Md.Text($"You can escalate only tickets you filed; {ticket.Id} is someone else's. Ask in its thread, or ask the platform team."));
        }

        var zone = engine.ReaderZone(user);
        if (!agent && engine.RequesterMayEscalateAgainAt(ticket.Id) is { } again)
        {
            var cooldown = options.Value.RequesterCooldown;
            return Reply.Private(Md.Text($"{ticket.Id} was escalated by its requester at {ZonedTime.Format(again - cooldown, zone)}, and a requester may escalate a ticket once every {TimeWords.Duration(cooldown, days: true)}: you can escalate it again from {ZonedTime.Format(again, zone)} {zone.Id}. Nobody was paged now; add what changed in the ticket's thread."));
        }

        var result = engine.Start(ticket, null, $"escalated by {user.Name}: {reason}", user);
        return result.Outcome switch
        {
            StartOutcome.Started or StartOutcome.AlreadyStarted => Reply.Text(Md.Text($"Escalated {ticket.Id}: paged {Paged(result.Chain!)} (policy `{result.Chain!.Policy}`). They are asked to acknowledge; if nobody does, the next level is paged.")),
            StartOutcome.AlreadyEscalating => Reply.Private(Md.Text($"{ticket.Id} is already escalating since {ZonedTime.Format(Stored.Read(result.Chain!.StartedAt), zone)}: paged {Paged(result.Chain)}, nobody has acknowledged yet; the next step comes at {(result.Chain.NextAt is { } next ? ZonedTime.Format(Stored.Read(next), zone) : "the end")} {zone.Id}.")),
            _ => Reply.Private(Md.Text($"No escalation policy covers {ticket.Priority} tickets{(ticket.Category is null ? string.Empty : " in " + ticket.Category)}, so nobody was paged. Ask the platform team in the ticket's thread.")),
        };
    }

    private string Paged(EscalationChain chain) =>
        chain.Paged.Count == 0 ? "nobody (no one could be reached; admins: `/platform escalation check`)" : string.Join(", ", chain.Paged.Select(engine.Display));
}
