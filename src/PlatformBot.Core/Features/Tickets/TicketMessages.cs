using PlatformBot.Conversations;
using PlatformBot.Outbox;

namespace PlatformBot.Features.Tickets;

/// <summary>What a ticket change sends through the outbox, inside the change's transaction: the card updated in place, notices in its thread.</summary>
internal sealed class TicketMessages(IOutbox outbox, ICardDirectory cards, TicketReplies replies)
{
    /// <summary>The card, as it is now, replaces every posted copy (one message per change, named by the audit trail's length).</summary>
    public void CardChanged(Ticket ticket, DateTimeOffset now) =>
        outbox.Enqueue(new OutboundMessage($"{ticket.CardKey}:card:{ticket.Audit.Count}", new UpdateCard(ticket.CardKey), replies.Card(ticket, now)));

    /// <summary>A notice in the ticket's thread; in the conversation it was filed in when its card was never posted.</summary>
    public void ToThread(Ticket ticket, string cause, Reply reply)
    {
        Destination destination = cards.Find(ticket.CardKey).Count > 0
            ? new ToCardThread(ticket.CardKey)
            : new ToConversation(ticket.Source.ToAddress());
        outbox.Enqueue(new OutboundMessage($"{ticket.CardKey}:{cause}", destination, reply));
    }
}
