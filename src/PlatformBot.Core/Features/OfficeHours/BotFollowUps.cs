using PlatformBot.Conversations;
using PlatformBot.Features.Knowledge;
using PlatformBot.Features.Tickets;
using PlatformBot.Outbox;

namespace PlatformBot.Features.OfficeHours;

/// <summary>Office hours' follow-ups through the bot's other features: <see cref="ITickets"/> and <see cref="IKnowledgeSearch"/>.</summary>
internal sealed class BotFollowUps(ITickets? tickets, IKnowledgeSearch? knowledge, IOutbox outbox) : ITopicFollowUps
{
    public async Task<string?> CreateTicketAsync(UserRef requester, string summary, string description, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (tickets is null)
        {
            return null;
        }

        var direct = new ConversationAddress(requester.Channel, "dm:" + requester.Id, IsDirect: true);
        var filing = await tickets.FileAsync(
            new TicketRequest(requester, summary, direct) { Description = description, IdempotencyKey = idempotencyKey },
            cancellationToken);
        if (filing.Ticket is null)
        {
            return null;
        }

        if (!filing.AlreadyFiled)
        {
            // The requester learns about it where he reads it, and the card's thread becomes the ticket's conversation.
            outbox.Enqueue(new OutboundMessage($"officehours:ticket-card:{filing.Ticket.Id}", new ToUser(requester), filing.Reply));
        }

        return filing.Ticket.Id;
    }

    public Task<DocsAnswer?> BestAnswerAsync(string question, CancellationToken cancellationToken)
    {
        var best = knowledge?.Search(question, 1) is [var first, ..] ? first : null;
        return Task.FromResult(best is null ? null : new DocsAnswer(
            best.Heading.Length > 0 && best.Heading != best.Title ? $"{best.Title}: {best.Heading}" : best.Title,
            best.Url,
            best.Snippet));
    }
}
