using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;
using PlatformBot.Outbox;
using PlatformBot.Storage;

namespace PlatformBot.Features.Knowledge;

/// <summary>A ticket filed by someone who asked the knowledge base recently: their open questions become tickets (never solved).</summary>
internal sealed class QuestionsTurnedIntoTickets(IKnowledgeInsights insights) : IDomainEventHandler<TicketCreated>
{
    public Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken)
    {
        insights.TicketFiled(domainEvent.Requester.Key, domainEvent.TicketId, domainEvent.At);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A ticket that started from a question got resolved: the resolving agent is offered a knowledge-base draft built from
/// the question, the articles that did not answer it and the resolution note (a DM with a button; nothing is written
/// until they press it).
/// </summary>
internal sealed class DraftFromResolution(IKnowledgeStore store, PlatformDatabase database, IOutbox outbox, IOptions<KnowledgeOptions> options) : IDomainEventHandler<TicketResolved>
{
    public Task HandleAsync(TicketResolved domainEvent, CancellationToken cancellationToken)
    {
        var question = store.WithTicket(domainEvent.TicketId).OrderByDescending(q => q.AskedAt).FirstOrDefault();
        if (question is null || question.DraftPath is not null || options.Value.FolderList.Count == 0)
        {
            return Task.CompletedTask;
        }

        database.InTransaction(() =>
        {
            question.ResolutionNote = domainEvent.Note;
            question.ResolvedByKey = domainEvent.ResolvedBy.Key;
            store.Update(question);
            outbox.Enqueue(new OutboundMessage(
                $"kb:draft-offer:{domainEvent.TicketId}",
                new ToUser(domainEvent.ResolvedBy),
                KnowledgeReplies.DraftOffer(question, domainEvent.TicketId)));
        });
        return Task.CompletedTask;
    }
}
