using System.Collections.Immutable;
using System.Globalization;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Team;
using Quartz;

namespace PlatformBot.Features.Surveys;

/// <summary><c>/survey list | send &lt;id&gt; | close &lt;id&gt; | results &lt;id&gt; [run]</c>; all but list are for admins.</summary>
internal sealed class SurveyCommandHandler(SurveyRunner runner, ISurveyStore store, IRoles roles, TimeProvider time) : ICommandHandler
{
    public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        var (verb, rest) = CommandText.SplitVerb(command.Text);
        if (verb is "send" or "close" or "results" && !roles.IsAdmin(command.User))
        {
            return Reply.Private(Md.Text($"`/survey {verb}` is for the platform team's admins. `/survey list` shows the surveys."));
        }

        var (id, more) = CommandText.SplitVerb(rest);
        return verb switch
        {
            "" or "list" => List(command.User),
            "send" when Known(id) is { } unknown => unknown,
            "send" => await SendAsync(id, command.User, cancellationToken),
            "close" when Known(id) is { } unknown => unknown,
            "close" => Close(id),
            "results" when id == SurveyRunner.AfterResolutionSurveyId => AfterResolution(),
            "results" when Known(id) is { } unknown => unknown,
            "results" => Results(id, more),
            _ => Reply.Private(Md.Text($"Usage: {Md.Raw(SurveysFeature.Usage)}")),
        };
    }

    private Reply? Known(string id)
    {
        if (id.Length == 0)
        {
            return Reply.Private(Md.Text($"Which survey? Name it: {Md.Raw(SurveysFeature.Usage)}"));
        }

        if (runner.Options.Definitions.ContainsKey(id))
        {
            return null;
        }

        var known = runner.Options.Definitions.Keys.Order(StringComparer.Ordinal).ToList();
        return Reply.Private(known.Count == 0
            ? Md.Text($"There is no survey `{id}`. No surveys are defined yet (Surveys:Definitions or YAML files under Surveys:Folder).")
            : Md.Text($"There is no survey `{id}`. Known surveys: {string.Join(", ", known)}."));
    }

    private Reply List(UserRef user)
    {
        var definitions = runner.Options.Definitions.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        if (definitions.Count == 0)
        {
            return Reply.Private(Md.Text($"No surveys are defined. Admins define them under `Surveys:Definitions` or in YAML files under `Surveys:Folder`."));
        }

        var now = time.GetUtcNow();
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Surveys")));
        foreach (var (id, definition) in definitions)
        {
            var zone = runner.ZoneOf(definition.TimeZone);
            var next = definition.Schedule is { Length: > 0 } cron && CronExpression.TryParse(cron, out var expression)
                ? expression.WithTimeZone(zone).GetNextValidTimeAfter(now) is { } at ? SurveyMessages.When(at.UtcDateTime, zone) : "never again"
                : "sent by hand only";
            var open = store.OpenRuns(id);
            var closed = store.ClosedRuns(id, 1);
            var latest = closed.Count > 0 ? closed[0] : null;
            var fields = new List<Field>
            {
                new("Next run", Md.Text($"{next}")),
                new("Questions", Md.Text($"{definition.Questions.Count}{Md.Raw(definition.Anonymous ? ", anonymous" : string.Empty)}")),
                new("Open runs", Md.Text($"{(open.Count == 0 ? "none" : string.Join(", ", open.Select(r => $"run {r.Number} until {SurveyMessages.When(r.ClosesAt, zone)}")))}")),
            };
            if (latest?.Summary is { } summary)
            {
                var figure = summary.Nps is { } nps ? $"NPS {SurveyMessages.Number(nps)}" : summary.CsatMean is { } csat ? $"CSAT {csat:0.0}" : "no figures";
                fields.Add(new Field("Last results", Md.Text($"run {latest.Number}: {figure}, {SurveyMessages.Percent(summary.ResponseRate)} answered")));
            }

            blocks.Add(new SectionBlock(Md.Text($"*{definition.Title}* `{id}`"), [.. fields]));
        }

        if (roles.IsAdmin(user))
        {
            blocks.Add(new ContextBlock([Md.Text($"{Md.Raw(SurveysFeature.Usage)}")]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    private async Task<Reply> SendAsync(string id, UserRef admin, CancellationToken cancellationToken)
    {
        var run = await runner.StartAsync(id, RunKind.Manual, null, admin, cancellationToken);
        if (run is null)
        {
            return Known(id) ?? Reply.Private(Md.Text($"There is no survey `{id}`."));
        }

        var zone = runner.ZoneOf(run.TimeZone);
        var waits = run.Deferred > 0 ? $" {run.Deferred} of them after their quiet hours." : string.Empty;
        var skipped = run.SkippedFatigue + run.SkippedQuietHours > 0
            ? $" Skipped: {run.SkippedFatigue} (fatigue budget), {run.SkippedQuietHours} (quiet hours until close)."
            : string.Empty;
        var notes = run.AudienceNotes.Count > 0 ? " Note: " + string.Join("; ", run.AudienceNotes) + "." : string.Empty;
        return Reply.Private(Md.Text(
            $"Started *{run.Title}* run {run.Number} (`{run.Id}`): {run.Prompted} of {run.Recipients} people asked by direct message.{waits}{skipped}{notes} It closes {SurveyMessages.When(run.ClosesAt, zone)}."));
    }

    private Reply Close(string id)
    {
        var open = store.OpenRuns(id);
        if (open.Count == 0)
        {
            return Reply.Private(Md.Text($"`{id}` has no open run."));
        }

        var closed = open.Select(r => runner.Close(r.Id)).OfType<SurveyRun>().ToList();
        var posted = closed.Any(r => r.ResultsChannel is not null) ? " Results are on their way to the results channel." : string.Empty;
        return Reply.Private(Md.Text($"Closed {string.Join(", ", closed.Select(r => $"run {r.Number}"))} of `{id}`.{posted} `/survey results {id}` shows them."));
    }

    private Reply Results(string id, string which)
    {
        SurveyRun? run;
        if (which.Length == 0)
        {
            run = store.LatestRun(id);
        }
        else if (int.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            run = store.RunByNumber(id, number);
        }
        else
        {
            run = store.Run(which) is { } byId && byId.SurveyId == id ? byId : null;
        }

        if (run is null)
        {
            return Reply.Private(which.Length == 0
                ? Md.Text($"`{id}` has not run yet. `/survey send {id}` starts a run now.")
                : Md.Text($"`{id}` has no run `{which}`. Name a run by its number (1, 2, …) or its id."));
        }

        var results = runner.ResultsOf(run);
        var history = run.Status == RunStatus.Closed ? runner.History(run) : [.. runner.History(run).SkipLast(1), WithSummary(run, results)];
        var (chart, trend) = run.Status == RunStatus.Closed ? (run.ChartImageId, run.TrendImageId) : runner.RenderCharts(run, results, history);
        return SurveyMessages.Results(run, results, history, chart, trend, runner.ZoneOf(run.TimeZone)) with { Visibility = ReplyVisibility.OnlyRequester };
    }

    private Reply AfterResolution()
    {
        var since = time.GetUtcNow() - runner.Options.Fatigue.Window;
        var runs = store.ClosedRunsSince(RunKind.AfterResolution, since.UtcDateTime).Concat(store.OpenRuns(SurveyRunner.AfterResolutionSurveyId)).ToList();
        var scores = runs.SelectMany(r => runner.ResultsOf(r).Questions.OfType<CsatResult>()).Where(c => c.Answered > 0).Select(c => c.Mean).ToList();
        var asked = runs.Sum(r => r.Prompted);
        return Reply.Private(scores.Count == 0
            ? Md.Text($"No post-resolution CSAT answers in the last {runner.Options.Fatigue.Window.TotalDays:0} days ({asked} asked).")
            : Md.Text($"*Post-resolution CSAT*, last {runner.Options.Fatigue.Window.TotalDays:0} days: *{scores.Average():0.0}* / 5 from {scores.Count} answers ({SurveyMessages.Percent((double)scores.Count / Math.Max(1, asked))} of {asked} asked)."));
    }

    private static SurveyRun WithSummary(SurveyRun run, RunResults results) => new()
    {
        Id = run.Id,
        SurveyId = run.SurveyId,
        Number = run.Number,
        Title = run.Title,
        Summary = results.ToSummary(),
    };
}
