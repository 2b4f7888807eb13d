using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Features.Knowledge;

/// <summary><c>/ask &lt;question&gt;</c>.</summary>
internal sealed class AskCommandHandler(KnowledgeAnswering answering) : ICommandHandler
{
    public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(command.Text)
            ? Task.FromResult(KnowledgeReplies.Usage())
            : answering.AnswerAsync(command.Text.Trim(), command.User, command.Conversation, cancellationToken);
}

/// <summary>Free text addressed to the bot (a mention, a DM) that no other feature claimed: a question for the knowledge base.</summary>
internal sealed class QuestionMessageHandler(KnowledgeAnswering answering) : IMessageHandler
{
    public async Task<Reply?> HandleAsync(IncomingMessage message, string? cardKey, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(message.Text)
            ? null
            : await answering.AnswerAsync(message.Text.Trim(), message.User, message.Conversation, cancellationToken);
}

/// <summary>"This solved it" and "Not quite — open a ticket".</summary>
internal sealed class KnowledgeActionHandler(
    IKnowledgeStore store,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<KnowledgeOptions> options,
    IEnumerable<Tickets.ITickets> tickets) : IInteractionHandler
{
    public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        var question = interaction.Value is { Length: > 0 and <= 64 } id ? store.Find(id) : null;
        if (question is null)
        {
            return Task.FromResult(KnowledgeReplies.Unknown());
        }

        var byAsker = question.AskerKey == interaction.User.Key;
        return Task.FromResult(interaction.ActionId switch
        {
            KnowledgeRoutes.Solved => Solved(question, interaction.User, byAsker),
            KnowledgeRoutes.NotQuite => NotQuite(question, byAsker),
            KnowledgeRoutes.Draft => Draft(question, interaction.User),
            _ => KnowledgeReplies.Unknown(),
        });
    }

    private Reply Solved(KnowledgeQuestion question, UserRef user, bool byAsker)
    {
        if (!byAsker)
        {
            if (!question.HelpfulVoters.Contains(user.Key))
            {
                question.HelpfulVoters.Add(user.Key);
                store.Update(question);
            }

            return KnowledgeReplies.Thanks();
        }

        if (question.Outcome is QuestionOutcome.Ticket)
        {
            return KnowledgeReplies.AlreadyDecided(question);
        }

        if (question.Outcome != QuestionOutcome.Solved)
        {
            question.Outcome = QuestionOutcome.Solved;
            question.DecidedAt = time.GetUtcNow().UtcDateTime;
            if (!question.HelpfulVoters.Contains(user.Key))
            {
                question.HelpfulVoters.Add(user.Key);
            }

            store.Update(question);
        }

        return KnowledgeReplies.SolvedCard(question);
    }

    private Reply NotQuite(KnowledgeQuestion question, bool byAsker)
    {
        // Anyone may open a ticket from here; only the asker's click decides the question (it never counts as solved then).
        if (byAsker && question.Outcome is QuestionOutcome.Open or QuestionOutcome.Solved)
        {
            question.Outcome = QuestionOutcome.NotSolved;
            question.DecidedAt = time.GetUtcNow().UtcDateTime;
            store.Update(question);
        }

        return KnowledgeReplies.TicketForm(question, tickets.FirstOrDefault());
    }

    private Reply Draft(KnowledgeQuestion question, UserRef user)
    {
        if (question.ResolvedByKey != user.Key || question.TicketId is null)
        {
            return Reply.Private(Md.Text($"Only the agent who resolved the ticket can turn it into a draft."));
        }

        if (question.DraftPath is null)
        {
            var folder = Path.Combine(Path.GetFullPath(options.Value.FolderList[0]), "drafts");
            var thread = tickets.FirstOrDefault()?.Comments(question.TicketId) ?? [];
            question.DraftPath = new KnowledgeDraftWriter(folder, time).Write(question.Text.Trim(), KnowledgeReplies.DraftBody(question, question.TicketId, thread), user.Id, question.TicketId);
            store.Update(question);
        }

        var relative = Path.GetRelativePath(Path.GetFullPath(options.Value.FolderList[0]), question.DraftPath).Replace('\\', '/');
        return new Reply
        {
            ReplacesSource = true,
            Blocks = [new TextBlock(Md.Text($"Draft saved as `{relative}` in the knowledge folder. Edit it, move it into a topic folder and it is searched."))],
        };
    }
}
