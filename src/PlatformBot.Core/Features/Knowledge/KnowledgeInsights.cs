using Microsoft.Extensions.Options;

namespace PlatformBot.Features.Knowledge;

internal sealed class KnowledgeInsights(IKnowledgeStore store, IOptions<KnowledgeOptions> options, TimeProvider time) : IKnowledgeInsights
{
    public SelfServiceReport SelfService(DateTimeOffset from, DateTimeOffset to)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var window = options.Value.SolvedWindow;
        int unanswered = 0, byClick = 0, bySilence = 0, notSolved = 0, pending = 0;
        var questions = store.AskedBetween(from.UtcDateTime, to.UtcDateTime);
        foreach (var q in questions)
        {
            switch (Verdict(q, now, window))
            {
                case Kind.Unanswered:
                    unanswered++;
                    break;
                case Kind.SolvedByClick:
                    byClick++;
                    break;
                case Kind.SolvedBySilence:
                    bySilence++;
                    break;
                case Kind.NotSolved:
                    notSolved++;
                    break;
                default:
                    pending++;
                    break;
            }
        }

        return new SelfServiceReport(from, to, questions.Count, unanswered, byClick, bySilence, notSolved, pending);
    }

    public IReadOnlyList<ArticleUsage> Articles(DateTimeOffset from, DateTimeOffset to, int count = 10) =>
        [.. store.AskedBetween(from.UtcDateTime, to.UtcDateTime)
            .Where(q => q.Answered)
            .SelectMany(q => q.Articles.Select(a => (Question: q, Article: a)))
            .GroupBy(x => x.Article.Path, StringComparer.Ordinal)
            .Select(g => new ArticleUsage(
                g.Key,
                g.First().Article.Title,
                g.Count(),
                g.Sum(x => x.Question.HelpfulVoters.Count),
                g.Count(x => x.Question.Outcome is QuestionOutcome.Ticket or QuestionOutcome.NotSolved)))
            .OrderByDescending(a => a.Offered)
            .ThenBy(a => a.Path, StringComparer.Ordinal)
            .Take(Math.Max(1, count))];

    public void TicketFiled(string requesterKey, string ticketId, DateTimeOffset at, string? fromQuestion = null)
    {
        var since = (at - options.Value.SolvedWindow).UtcDateTime;
        var questions = store.AskedBy(requesterKey, since).ToList();
        if (fromQuestion is not null && questions.All(q => q.Id != fromQuestion) && store.Find(fromQuestion) is { } origin && origin.AskerKey == requesterKey)
        {
            questions.Add(origin); // filed from its form after the window: still its ticket
        }

        foreach (var q in questions)
        {
            var filedFromIt = q.Id == fromQuestion;
            if (q.AskedAt > at.UtcDateTime || (!filedFromIt && q.Outcome is QuestionOutcome.Solved or QuestionOutcome.Ticket))
            {
                continue;
            }

            q.Outcome = QuestionOutcome.Ticket;
            q.TicketId = filedFromIt ? ticketId : q.TicketId;
            q.DecidedAt = at.UtcDateTime;
            store.Update(q);
        }
    }

    private enum Kind
    {
        Unanswered,
        SolvedByClick,
        SolvedBySilence,
        NotSolved,
        Pending,
    }

    private static Kind Verdict(KnowledgeQuestion q, DateTime now, TimeSpan window) => q switch
    {
        { Answered: false } => Kind.Unanswered,
        { Outcome: QuestionOutcome.Solved } => Kind.SolvedByClick,
        { Outcome: QuestionOutcome.NotSolved or QuestionOutcome.Ticket } => Kind.NotSolved,
        _ when now >= q.AskedAt + window => Kind.SolvedBySilence,
        _ => Kind.Pending,
    };
}
