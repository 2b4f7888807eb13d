using System.Globalization;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Insights;

/// <summary>The scorecard as label/value pairs, for chat (fields) and the dashboard (tiles) alike.</summary>
public static class ScorecardText
{
    public static IReadOnlyList<(string Label, string Value, string Detail)> Tiles(Scorecard card)
    {
        var tiles = new List<(string, string, string)>();
        if (card.Sla is { } sla)
        {
            tiles.Add(("First response SLA", Percent(sla.FirstResponse.Rate), $"{sla.FirstResponse.Met} met, {sla.FirstResponse.Breached} breached"));
            tiles.Add(("Resolution SLA", Percent(sla.Resolution.Rate), $"{sla.Resolution.Met} met, {sla.Resolution.Breached} breached"));
            tiles.Add(("Mean time to resolve", Duration(sla.MeanTimeToResolve), $"median {Duration(sla.MedianTimeToResolve)}; {sla.Resolved} resolved of {sla.Filed} filed"));
        }

        if (card.SelfService is { } self)
        {
            tiles.Add(("Self-service success", Percent(self.SuccessRate), $"{self.Solved} solved by the docs of {self.Asked - self.Pending} decided questions; {self.Pending} pending"));
        }

        if (card.LatestNps is { } nps)
        {
            // The run may have closed before the period: its date says so. A withheld or unanswered score is "n/a" with the
            // reason, never an older survey's score.
            var run = $"{nps.Title}, run {nps.Run}, closed {nps.ClosedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            tiles.Add(("NPS", nps.Nps is { } n ? n.ToString("+0;-0;0", CultureInfo.InvariantCulture) : "n/a", nps switch
            {
                { Suppressed: true } => $"{run}: too few answers to show (fewer than {nps.MinGroupSize}, so they stay anonymous)",
                { Nps: null } => $"{run}: nobody answered the NPS question",
                _ => $"{run}: {nps.Respondents} answers ({Percent(nps.ResponseRate)})",
            }));
        }
        else if (card.AfterResolutionCsat is not null)
        {
            tiles.Add(("NPS", "n/a", "no survey asking it has closed yet")); // surveys run, no NPS yet
        }

        if (card.AfterResolutionCsat is { } csat)
        {
            tiles.Add(("CSAT after resolution", csat.Mean is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) + " / 5" : "n/a", $"{csat.Answers} answers of {csat.Asked} asked"));
        }

        if (card.OfficeHours is { } oh)
        {
            tiles.Add(("Office hours", $"{oh.TopicsAnswered} answered", $"{oh.SessionsHeld} sessions, {oh.Attendees} attendees, {oh.AnsweredByDocs} answered by the docs first; median wait {Duration(oh.MedianWait)}"));
        }

        return tiles;
    }

    public static Block[] Blocks(Scorecard card)
    {
        var tiles = Tiles(card);
        if (tiles.Count == 0)
        {
            return [new TextBlock(Md.Text($"No figures yet."))];
        }

        return
        [
            new SectionBlock(null, [.. tiles.Select(t => new Field(t.Label, Md.Text($"*{t.Value}*\n{t.Detail}")))]),
            new ContextBlock([Md.Text($"Last {(int)Math.Round((card.To - card.From).TotalDays)} days. [Dashboard](/dashboard)")]),
        ];
    }

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a";

    private static string Duration(TimeSpan? span) => span switch
    {
        null => "n/a",
        { TotalDays: >= 2 } d => $"{d.TotalDays:0.#} d",
        { TotalHours: >= 1 } h => $"{h.TotalHours:0.#} h",
        var m => $"{m.Value.TotalMinutes:0} min",
    };
}
