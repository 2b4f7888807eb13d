using System.Collections.Immutable;

namespace PlatformBot.Features.Surveys;

/// <summary>A run's figures: who was asked and answered, and each question's result.</summary>
internal sealed record RunResults(
    int Recipients,
    int Prompted,
    int Respondents,
    double ResponseRate,
    bool Suppressed,
    ImmutableArray<QuestionResult> Questions)
{
    public NpsResult? FirstNps => Suppressed ? null : Questions.OfType<NpsResult>().FirstOrDefault();

    public CsatResult? FirstCsat => Suppressed ? null : Questions.OfType<CsatResult>().FirstOrDefault();

    public RunSummary ToSummary() => new()
    {
        Respondents = Respondents,
        ResponseRate = ResponseRate,
        Nps = FirstNps is { Answered: > 0 } nps ? nps.Score : null,
        CsatMean = FirstCsat is { Answered: > 0 } csat ? csat.Mean : null,
    };
}

internal abstract record QuestionResult(int Index, StoredQuestion Question, int Answered);

/// <summary>Net Promoter Score: % promoters (9–10) − % detractors (0–6), from −100 to 100.</summary>
internal sealed record NpsResult(int Index, StoredQuestion Question, int Answered, int Promoters, int Passives, int Detractors, double Score, ImmutableArray<int> Distribution)
    : QuestionResult(Index, Question, Answered);

/// <summary>CSAT: the mean of 1–5 and the share of 4s and 5s.</summary>
internal sealed record CsatResult(int Index, StoredQuestion Question, int Answered, double Mean, double SatisfiedPercent, ImmutableArray<int> Distribution)
    : QuestionResult(Index, Question, Answered);

internal sealed record ChoiceResult(int Index, StoredQuestion Question, int Answered, ImmutableArray<int> Counts)
    : QuestionResult(Index, Question, Answered);

internal sealed record TextResult(int Index, StoredQuestion Question, int Answered, ImmutableArray<Comment> Comments)
    : QuestionResult(Index, Question, Answered);

/// <summary>A free-text answer; <see cref="Author"/> is null in anonymous runs.</summary>
internal sealed record Comment(string Text, string? Author);

internal static class SurveyResults
{
    public static RunResults Compute(SurveyRun run, IReadOnlyList<SurveyResponse> responses)
    {
        var answered = responses.Where(r => r.Answers.Count > 0).ToList();
        var respondents = answered.Count;
        var rate = run.Prompted == 0 ? 0 : Math.Min(1.0, (double)respondents / run.Prompted);
        var suppressed = IsSuppressed(run, respondents);
        var questions = ImmutableArray.CreateBuilder<QuestionResult>();
        for (var i = 0; i < run.Questions.Count; i++)
        {
            var question = run.Questions[i];
            var answers = answered
                .Select(r => (Response: r, Answer: r.Answers.Find(a => a.Question == i)))
                .Where(x => x.Answer is not null)
                .Select(x => (x.Response, Answer: x.Answer!))
                .ToList();
            questions.Add(question.Kind switch
            {
                QuestionKind.Nps => Nps(i, question, [.. answers.Select(a => a.Answer.Number).OfType<int>()]),
                QuestionKind.Csat => Csat(i, question, [.. answers.Select(a => a.Answer.Number).OfType<int>()]),
                QuestionKind.Choice or QuestionKind.Multi => Choice(i, question, [.. answers.Select(a => a.Answer.Choices)]),
                _ => new TextResult(i, question, answers.Count(a => !string.IsNullOrWhiteSpace(a.Answer.Text)), [.. answers
                    .Where(a => !string.IsNullOrWhiteSpace(a.Answer.Text))
                    .OrderBy(a => a.Response.UpdatedAt)
                    .Select(a => new Comment(a.Answer.Text!, run.Anonymous ? null : AuthorOf(a.Response)))]),
            });
        }

        return new RunResults(run.Recipients, run.Prompted, respondents, rate, suppressed, questions.ToImmutable());
    }

    /// <summary>An anonymous run answered by fewer than its minimum group shows no figures: they could tell who said what.</summary>
    public static bool IsSuppressed(SurveyRun run, int respondents) => run.Anonymous && respondents < run.MinGroupSize;

    private static string? AuthorOf(SurveyResponse response) =>
        response.DisplayName ?? (response.UserKey is { } key && AudienceKeys.TryParseUser(key, out var user) ? user.Name : response.UserKey);

    public static NpsResult Nps(int index, StoredQuestion question, IReadOnlyList<int> scores)
    {
        var distribution = new int[11];
        foreach (var score in scores)
        {
            distribution[score]++;
        }

        var promoters = scores.Count(s => s >= 9);
        var detractors = scores.Count(s => s <= 6);
        var passives = scores.Count - promoters - detractors;
        var nps = scores.Count == 0 ? 0 : Math.Round(100.0 * (promoters - detractors) / scores.Count, 1);
        return new NpsResult(index, question, scores.Count, promoters, passives, detractors, nps, [.. distribution]);
    }

    public static CsatResult Csat(int index, StoredQuestion question, IReadOnlyList<int> scores)
    {
        var distribution = new int[5];
        foreach (var score in scores)
        {
            distribution[score - 1]++;
        }

        var mean = scores.Count == 0 ? 0 : Math.Round(scores.Average(), 2);
        var satisfied = scores.Count == 0 ? 0 : Math.Round(100.0 * scores.Count(s => s >= 4) / scores.Count, 1);
        return new CsatResult(index, question, scores.Count, mean, satisfied, [.. distribution]);
    }

    private static ChoiceResult Choice(int index, StoredQuestion question, IReadOnlyList<List<int>> choices)
    {
        var counts = new int[question.Options.Count];
        foreach (var choice in choices.SelectMany(c => c.Distinct()))
        {
            counts[choice]++;
        }

        return new ChoiceResult(index, question, choices.Count(c => c.Count > 0), [.. counts]);
    }
}
