using PlatformBot.Conversations;
using PlatformBot.Team;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// Who may do what. Agents (<c>Team:Agents</c>) acknowledge, assign, wait, resolve and change priority; a requester
/// comments on, closes and reopens his own tickets and sees their clocks; admins do all, and may reopen after the window.
/// </summary>
internal static class TicketPermissions
{
    public static RichText? Refusal(TicketVerb verb, Role role, bool ownTicket, string id)
    {
        if (role >= Role.Agent)
        {
            return null;
        }

        var word = TicketReplies.VerbWords(verb);
        return verb switch
        {
            TicketVerb.Comment or TicketVerb.Close or TicketVerb.Reopen when ownTicket => null,
            TicketVerb.Comment or TicketVerb.Close or TicketVerb.Reopen =>
                Md.Text($"{id} is someone else's ticket: only its requester and the platform team can {Md.Raw(word)} it. Nothing was changed."),
            _ => Md.Text($"Only the platform team (Team:Agents) can {Md.Raw(word)} tickets; you can comment on, close and reopen your own. Nothing was changed."),
        };
    }

    /// <summary>Reading a ticket (show, its clocks): its requester and the platform team.</summary>
    public static RichText? ViewRefusal(Role role, bool ownTicket, string id) =>
        role >= Role.Agent || ownTicket ? null : Md.Text($"{id} is someone else's ticket; only its requester and the platform team can see it.");
}
