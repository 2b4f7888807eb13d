namespace PlatformBot.Features.Surveys;

/// <summary>The latest survey figures, for the Slack App Home and the dashboard.</summary>
public interface ISurveyInsights
{
    /// <summary>Each survey's latest closed run (scheduled and sent by hand), newest first.</summary>
    IReadOnlyList<SurveyPulse> Latest();

    /// <summary>The post-resolution CSAT over the runs that closed since <paramref name="since"/>.</summary>
    CsatFigure AfterResolutionCsat(DateTimeOffset since);
}

/// <param name="Nps">NPS (−100…100) of the run's first NPS question; null when it has none or too few answered an anonymous run.</param>
/// <param name="CsatMean">Mean (1…5) of the run's first CSAT question, likewise.</param>
/// <param name="Trend">The headline figure of the survey's recent closed runs, oldest first.</param>
public sealed record SurveyPulse(
    string SurveyId,
    string Title,
    int Run,
    DateTimeOffset ClosedAt,
    int Respondents,
    double ResponseRate,
    double? Nps,
    double? CsatMean,
    IReadOnlyList<double> Trend,
    string? ChartUrl)
{
    /// <summary>The run asked an NPS question (its <see cref="Nps"/> is null only when withheld or nobody answered it).</summary>
    public bool AsksNps { get; init; }

    /// <summary>Fewer than <see cref="MinGroupSize"/> answered an anonymous run, so its figures are withheld.</summary>
    public bool Suppressed { get; init; }

    public int MinGroupSize { get; init; }
}

/// <param name="Mean">Null when nobody answered.</param>
public sealed record CsatFigure(int Answers, int Asked, double? Mean);

internal sealed class SurveyInsights(ISurveyStore store, SurveyRunner runner) : ISurveyInsights
{
    public IReadOnlyList<SurveyPulse> Latest()
    {
        var ids = runner.Options.Definitions.Keys;
        var pulses = new List<SurveyPulse>();
        foreach (var id in ids)
        {
            var closed = store.ClosedRuns(id, 12);
            if (closed.Count == 0 || closed[0].Summary is not { } summary)
            {
                continue;
            }

            var latest = closed[0];
            var trend = SurveyMessages.TrendPoints(closed, out _).Select(p => p.Value).ToList();
            pulses.Add(new SurveyPulse(
                id,
                latest.Title,
                latest.Number,
                SurveyRunner.Instant(latest.ClosedAt ?? latest.ClosesAt),
                summary.Respondents,
                summary.ResponseRate,
                summary.Nps,
                summary.CsatMean,
                trend,
                latest.ChartImageId is { } image ? Storage.ImageUrls.For(image) : null)
            {
                AsksNps = latest.Questions.Exists(q => q.Kind == QuestionKind.Nps),
                Suppressed = SurveyResults.IsSuppressed(latest, summary.Respondents),
                MinGroupSize = latest.MinGroupSize,
            });
        }

        return [.. pulses.OrderByDescending(p => p.ClosedAt)];
    }

    public CsatFigure AfterResolutionCsat(DateTimeOffset since)
    {
        var runs = store.ClosedRunsSince(RunKind.AfterResolution, since.UtcDateTime);
        var scores = runs.Select(r => r.Summary?.CsatMean).OfType<double>().ToList();
        return new CsatFigure(scores.Count, runs.Sum(r => r.Prompted), scores.Count == 0 ? null : Math.Round(scores.Average(), 2));
    }
}
