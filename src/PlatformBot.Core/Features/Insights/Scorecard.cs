using PlatformBot.Features.Knowledge;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Features.Surveys;
using PlatformBot.Features.Tickets;

namespace PlatformBot.Features.Insights;

/// <summary>
/// The platform-as-a-product figures in one place: SLA attainment and time to resolve (tickets), self-service success
/// (knowledge), satisfaction (surveys), office hours. Each part is null when its feature is not running.
/// </summary>
/// <param name="LatestNps">The newest closed survey run that asked an NPS question, whenever it closed (it says when).</param>
public sealed record Scorecard(
    DateTimeOffset From,
    DateTimeOffset To,
    SlaFigures? Sla,
    SelfServiceReport? SelfService,
    SurveyPulse? LatestNps,
    CsatFigure? AfterResolutionCsat,
    OfficeHoursFigures? OfficeHours);

public interface IScorecard
{
    /// <summary>The figures over the last <paramref name="days"/> days up to now.</summary>
    Scorecard Compute(int days = 30);
}

internal sealed class PlatformScorecard(
    TimeProvider time,
    ITickets? tickets = null,
    IKnowledgeInsights? knowledge = null,
    ISurveyInsights? surveys = null,
    IOfficeHours? officeHours = null) : IScorecard
{
    public Scorecard Compute(int days = 30)
    {
        var to = time.GetUtcNow();
        var from = to - TimeSpan.FromDays(Math.Clamp(days, 1, 366));
        return new Scorecard(
            from,
            to,
            tickets?.Figures(from, to),
            knowledge?.SelfService(from, to),
            surveys?.Latest().FirstOrDefault(p => p.AsksNps),
            surveys?.AfterResolutionCsat(from),
            officeHours?.Figures());
    }
}
