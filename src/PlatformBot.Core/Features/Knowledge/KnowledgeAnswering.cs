using Microsoft.Extensions.Logging;
using PlatformBot.Ai;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Knowledge;

/// <summary>Answers a question from the knowledge base and records it: the heart of <c>/ask</c> and of questions to the bot.</summary>
internal sealed partial class KnowledgeAnswering(
    KnowledgeBase knowledge,
    IKnowledgeStore store,
    GroundedAnswers grounded,
    SectionEmbeddings embeddings,
    TimeProvider time,
    ILogger<KnowledgeAnswering> logger)
{
    public async Task<Reply> AnswerAsync(string text, UserRef asker, ConversationAddress conversation, CancellationToken cancellationToken)
    {
        var vectorRanks = embeddings.Enabled ? await embeddings.RankAsync(text, cancellationToken) : null;
        var outcome = knowledge.Search(text, knowledge.Options.AnswerCount, vectorRanks);
        var offered = outcome.Offered;
        var question = new KnowledgeQuestion
        {
            Id = "q" + Guid.NewGuid().ToString("N")[..12],
            Text = text.Length > 2000 ? text[..2000] : text,
            AskerKey = asker.Key,
            AskerName = asker.Name,
            Channel = conversation.Channel,
            ConversationId = conversation.ConversationId,
            AskedAt = time.GetUtcNow().UtcDateTime,
            Answered = !offered.IsEmpty,
            Confidence = outcome.Confidence,
            Articles = [.. offered.Select(a => new ShownArticle
            {
                Path = a.Path,
                Title = a.Title,
                Heading = a.Section.Heading,
                Anchor = a.Section.Anchor,
                Url = knowledge.UrlOf(a.Path, a.Section.Anchor),
            })],
        };
        store.Add(question);
        LogAsked(question.Id, question.Answered, outcome.Confidence);

        if (offered.IsEmpty)
        {
            return KnowledgeReplies.NoAnswer(question);
        }

        var analyzer = knowledge.Analyzer!;
        var shown = question.Articles.Zip(offered, (article, hit) => (article, Snippets.Make(analyzer, hit.Section.Body, outcome.Concepts))).ToList();
        var answer = grounded.Available
            ? await grounded.AnswerAsync(text, [.. offered.Select((a, i) => new GroundingSource(i + 1, a.Title, a.Section.Heading, a.Section.Body))], cancellationToken)
            : null;
        return KnowledgeReplies.Answer(question, shown, answer);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge question {Id}: answered {Answered} (confidence {Confidence:0.00})")]
    private partial void LogAsked(string id, bool answered, double confidence);
}
