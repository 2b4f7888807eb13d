using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;
using PlatformBot.Outbox;

namespace PlatformBot.Features.Knowledge;

/// <summary>A ticket filed by someone who asked the knowledge base recently: their open questions become tickets (never solved).</summary>
internal sealed class QuestionsTurnedIntoTickets(IKnowledgeInsights insights) : IDomainEventProjection<TicketCreated>
{
    public void Apply(TicketCreated domainEvent) =>
        insights.TicketFiled(domainEvent.Requester.Key, domainEvent.TicketId, domainEvent.At, domainEvent.FiledFrom is { } from && from.StartsWith("kb:", StringComparison.Ordinal) ? from[3..] : null);
}

/// <summary>
/// A ticket that started from a question got resolved: the resolving agent is offered a knowledge-base draft built from
/// the question, the articles that did not answer it and the resolution note (a DM with a button; nothing is written
/// until they press it).
/// </summary>
internal sealed class DraftFromResolution(IKnowledgeStore store, IOutbox outbox, IOptions<KnowledgeOptions> options) : IDomainEventProjection<TicketResolved>
{
    public void Apply(TicketResolved domainEvent)
    {
        var question = store.WithTicket(domainEvent.TicketId).OrderByDescending(q => q.AskedAt).FirstOrDefault();
        if (question is null || question.DraftPath is not null || options.Value.FolderList.Count == 0)
        {
            return;
        }

        question.ResolutionNote = domainEvent.Note;
        question.ResolvedByKey = domainEvent.ResolvedBy.Key;
        store.Update(question);
        outbox.Enqueue(new OutboundMessage(
            $"kb:draft-offer:{domainEvent.TicketId}",
            new ToUser(domainEvent.ResolvedBy),
            KnowledgeReplies.DraftOffer(question, domainEvent.TicketId)));
    }
}
