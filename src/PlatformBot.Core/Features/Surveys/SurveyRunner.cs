using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Storage;
using PlatformBot.Team;

namespace PlatformBot.Features.Surveys;

internal enum AnswerOutcome
{
    Saved,
    Closed,
    NoSuchRun,
    NotForYou,
    Invalid,
}

/// <summary>What a person changes in a response: a score or choice, a toggled option, or a comment.</summary>
internal abstract record AnswerChange(int Question);

internal sealed record Pick(int Question, int Value) : AnswerChange(Question);

internal sealed record Toggle(int Question, int Option) : AnswerChange(Question);

internal sealed record Write(int Question, string Text) : AnswerChange(Question);

/// <summary>
/// Runs surveys: starts a run (audience resolved once, recipients stored, prompts through the outbox within the fatigue
/// budget and quiet hours), records answers, sends reminders and closes runs when due. Every change of a run happens under
/// one lock and in one transaction with the messages it causes; every message has an idempotency key (run, person, kind).
/// </summary>
internal sealed partial class SurveyRunner(
    ISurveyStore store,
    IOutbox outbox,
    IImageStore images,
    TimeProvider time,
    IOptionsMonitor<SurveysOptions> options,
    IOptionsMonitor<TeamOptions> team,
    SurveyAudienceResolver audience,
    RespondentKeys keys,
    ILogger<SurveyRunner> logger)
{
    public const string AfterResolutionSurveyId = "after-resolution";
    private const int Batch = 500;

    private readonly Lock _gate = new();

    public SurveysOptions Options => options.CurrentValue;

    /// <summary>Starts a run of a defined survey. Returns null when the id names no survey; the run when one was started
    /// (or, for a scheduled firing seen twice, the run the first firing started).</summary>
    public async Task<SurveyRun?> StartAsync(string surveyId, RunKind kind, DateTimeOffset? scheduledFor, UserRef? startedBy, CancellationToken cancellationToken)
    {
        if (!Options.Definitions.TryGetValue(surveyId, out var definition))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var (people, notes) = await audience.ResolveAsync(definition.Audience, now, cancellationToken);
        var baseId = kind == RunKind.Scheduled && scheduledFor is { } firing
            ? ScheduledRunId(surveyId, firing)
            : $"{surveyId}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

        // A scheduled run closes OpenFor after its firing, so a firing started late (caught up after a restart) is not
        // open longer than it would have been.
        var closesAt = (kind == RunKind.Scheduled && scheduledFor is { } fired && fired < now ? fired : now) + definition.OpenFor;
        var questions = definition.Questions.Select(q => new StoredQuestion
        {
            Kind = QuestionKinds.TryParse(q.Kind, out var k) ? k : QuestionKind.Text,
            Text = q.Text.Trim(),
            Options = [.. q.Options.Select(o => o.Trim())],
        }).ToList();

        SurveyRun run;
        lock (_gate)
        {
            run = store.InTransaction(() =>
            {
                var id = baseId;
                if (store.Run(id) is { } existing)
                {
                    if (kind == RunKind.Scheduled)
                    {
                        return existing; // the same firing, seen again (a restart, a second replica)
                    }

                    for (var n = 2; store.Run(id) is not null; n++)
                    {
                        id = $"{baseId}-{n}";
                    }
                }

                var created = new SurveyRun
                {
                    Id = id,
                    SurveyId = surveyId,
                    Number = store.NextNumber(surveyId),
                    Title = definition.Title.Trim(),
                    Kind = kind,
                    Questions = questions,
                    Anonymous = definition.Anonymous,
                    MinGroupSize = definition.MinGroupSize,
                    ResultsChannel = definition.ResultsChannel,
                    TimeZone = definition.TimeZone ?? team.CurrentValue.TimeZone,
                    ReminderAfter = definition.ReminderAfter,
                    StartedAt = now.UtcDateTime,
                    ClosesAt = closesAt.UtcDateTime,
                    Status = RunStatus.Open,
                    StartedBy = startedBy?.Key,
                    Recipients = people.Count,
                    AudienceNotes = [.. notes],
                };
                store.InsertRun(created);
                store.InsertRecipients(people.Select(p => PendingRecipient(created.Id, p)));
                return created;
            });
        }

        LogStarted(run.Id, run.Recipients);
        FanOut();
        return store.Run(run.Id);
    }

    /// <summary>The id of the run a scheduled firing starts: named after the firing (to the minute), so a firing seen
    /// twice (a restart, a second replica, a catch-up) is one run.</summary>
    public static string ScheduledRunId(string surveyId, DateTimeOffset firing) =>
        $"{surveyId}-{firing.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}";

    /// <summary>Whether a scheduled firing has its run already.</summary>
    public bool HasRun(string surveyId, DateTimeOffset firing) => store.Run(ScheduledRunId(surveyId, firing)) is not null;

    /// <summary>Queues a post-resolution CSAT for a ticket, once per ticket, due after the configured delay.</summary>
    public bool ScheduleAfterResolution(string ticketId, UserRef requester, string? ticketTitle, DateTimeOffset resolvedAt)
    {
        var settings = Options.AfterResolution;
        if (!settings.Enabled)
        {
            return false;
        }

        lock (_gate)
        {
            return store.Run(AfterResolutionRunId(ticketId)) is null && store.InTransaction(() => store.AddAfterResolution(new AfterResolutionDue
            {
                TicketId = ticketId,
                Channel = requester.Channel,
                UserId = requester.Id,
                DisplayName = requester.DisplayName,
                TimeZone = requester.TimeZone,
                TicketTitle = ticketTitle,
                DueAt = (resolvedAt + settings.Delay).UtcDateTime,
            }));
        }
    }

    /// <summary>Drops a ticket's post-resolution CSAT that has not started yet (the ticket was reopened), so the resolution
    /// that really ends it queues a fresh one. False when none was waiting.</summary>
    public bool DropAfterResolution(string ticketId)
    {
        lock (_gate)
        {
            return store.InTransaction(() => store.DeleteAfterResolution(ticketId));
        }
    }

    /// <summary>Starts the post-resolution CSATs whose delay has passed: a one-person, one-question run each. One whose
    /// ticket <paramref name="isStillResolved"/> says is open again is dropped instead (its reopening may not have been
    /// handled yet).</summary>
    public int StartAfterResolutionsDue(Func<string, bool>? isStillResolved = null)
    {
        var now = time.GetUtcNow();
        var settings = Options.AfterResolution;
        var started = 0;
        lock (_gate)
        {
            foreach (var due in store.AfterResolutionsDue(now.UtcDateTime, Batch))
            {
                store.InTransaction(() =>
                {
                    store.DeleteAfterResolution(due.TicketId);
                    var id = AfterResolutionRunId(due.TicketId);
                    if (store.Run(id) is not null || isStillResolved?.Invoke(due.TicketId) == false)
                    {
                        return false;
                    }

                    var run = new SurveyRun
                    {
                        Id = id,
                        SurveyId = AfterResolutionSurveyId,
                        Number = store.NextNumber(AfterResolutionSurveyId),
                        Title = "How did we do?",
                        Kind = RunKind.AfterResolution,
                        Questions = [new StoredQuestion { Kind = QuestionKind.Csat, Text = settings.Question }],
                        MinGroupSize = 1,
                        TimeZone = team.CurrentValue.TimeZone,
                        StartedAt = now.UtcDateTime,
                        ClosesAt = (now + settings.OpenFor).UtcDateTime,
                        Status = RunStatus.Open,
                        TicketId = due.TicketId,
                        TicketSummary = due.TicketTitle,
                        Recipients = 1,
                    };
                    store.InsertRun(run);
                    store.InsertRecipients([PendingRecipient(run.Id, new UserRef(due.Channel, due.UserId, due.DisplayName, due.TimeZone))]);
                    started++;
                    return true;
                });
            }
        }

        if (started > 0)
        {
            FanOut();
        }

        return started;
    }

    /// <summary>Decides and queues the prompts of recipients not yet handled, a batch per transaction.</summary>
    public int FanOut()
    {
        var handled = 0;
        while (true)
        {
            int count;
            lock (_gate)
            {
                var pending = store.PendingRecipients(Batch);
                if (pending.Count == 0)
                {
                    return handled;
                }

                var now = time.GetUtcNow();
                count = store.InTransaction(() =>
                {
                    var runs = new Dictionary<string, SurveyRun?>(StringComparer.Ordinal);
                    foreach (var recipient in pending)
                    {
                        if (!runs.TryGetValue(recipient.RunId, out var run))
                        {
                            run = runs[recipient.RunId] = store.Run(recipient.RunId);
                        }

                        Prompt(run, recipient, now);
                    }

                    foreach (var run in runs.Values.OfType<SurveyRun>())
                    {
                        store.UpdateRun(run);
                    }

                    return pending.Count;
                });
            }

            handled += count;
        }
    }

    private void Prompt(SurveyRun? run, SurveyRecipient recipient, DateTimeOffset now)
    {
        if (run is null || run.Status != RunStatus.Open)
        {
            recipient.Status = RecipientStatus.SkippedQuietHours;
            store.UpdateRecipient(recipient);
            return;
        }

        var settings = Options;
        var prompts = store.PromptsSince(recipient.UserKey, (now - settings.Fatigue.Window).UtcDateTime);
        var zone = ZoneOf(recipient.TimeZone);
        var decision = PromptPolicy.Decide(now, Instant(run.ClosesAt), zone, prompts, countsAgainstBudget: true, settings.Fatigue, settings.QuietHours);
        recipient.Status = decision.Status;
        switch (decision.Status)
        {
            case RecipientStatus.Prompted:
                var at = decision.SendAt!.Value;
                recipient.PromptAt = at.UtcDateTime;
                recipient.RemindDueAt = run.ReminderAfter is { } after && at + after < Instant(run.ClosesAt) ? (at + after).UtcDateTime : null;
                store.RecordPrompt(new PromptLedgerEntry { Id = SurveyRecipient.IdOf(run.Id, recipient.UserKey), UserKey = recipient.UserKey, At = at.UtcDateTime });
                outbox.Enqueue(new OutboundMessage(MessageKey(run.Id, recipient.UserKey, "prompt"), new ToUser(UserOf(recipient)), SurveyMessages.Prompt(run, null, zone))
                {
                    NotBefore = at > now ? at : null,
                });
                run.Prompted++;
                if (at > now)
                {
                    run.Deferred++;
                }

                break;
            case RecipientStatus.SkippedFatigue:
                run.SkippedFatigue++;
                break;
            default:
                run.SkippedQuietHours++;
                break;
        }

        store.UpdateRecipient(recipient);
    }

    /// <summary>Sends the one reminder to people who were prompted and have not answered, when it falls due.</summary>
    public int SendRemindersDue()
    {
        var sent = 0;
        while (true)
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                var due = store.RemindersDue(now.UtcDateTime, Batch);
                if (due.Count == 0)
                {
                    return sent;
                }

                sent += store.InTransaction(() =>
                {
                    var reminded = 0;
                    var runs = new Dictionary<string, SurveyRun?>(StringComparer.Ordinal);
                    foreach (var recipient in due)
                    {
                        if (!runs.TryGetValue(recipient.RunId, out var run))
                        {
                            run = runs[recipient.RunId] = store.Run(recipient.RunId);
                        }

                        recipient.RemindDueAt = null;
                        store.UpdateRecipient(recipient);
                        if (run is null || run.Status != RunStatus.Open || HasAnswered(run, recipient.UserKey))
                        {
                            continue;
                        }

                        var zone = ZoneOf(recipient.TimeZone);
                        var decision = PromptPolicy.Decide(now, Instant(run.ClosesAt), zone, 0, countsAgainstBudget: false, Options.Fatigue, Options.QuietHours);
                        if (!decision.Sends)
                        {
                            continue;
                        }

                        var at = decision.SendAt!.Value;
                        if (outbox.Enqueue(new OutboundMessage(MessageKey(run.Id, recipient.UserKey, "reminder"), new ToUser(UserOf(recipient)), SurveyMessages.Prompt(run, null, zone, reminder: true))
                        {
                            NotBefore = at > now ? at : null,
                        }))
                        {
                            run.Reminded++;
                            reminded++;
                        }
                    }

                    foreach (var run in runs.Values.OfType<SurveyRun>())
                    {
                        store.UpdateRun(run);
                    }

                    return reminded;
                });
            }
        }
    }

    public int CloseDue()
    {
        var closed = 0;
        foreach (var run in store.RunsDueToClose(time.GetUtcNow().UtcDateTime, Batch))
        {
            if (Close(run.Id) is not null)
            {
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Closes a run now: figures and chart kept, results posted, reminders dropped, anonymous hashes erased.
    /// Returns null when the run is unknown or was closed already.</summary>
    public SurveyRun? Close(string runId)
    {
        lock (_gate)
        {
            var run = store.Run(runId);
            if (run is null || run.Status != RunStatus.Open)
            {
                return null;
            }

            var now = time.GetUtcNow();
            var responses = store.Responses(run.Id);
            var results = SurveyResults.Compute(run, responses);
            run.Status = RunStatus.Closed;
            run.ClosedAt = now.UtcDateTime;
            run.Summary = results.ToSummary();
            var history = History(run);
            var (chart, trend) = RenderCharts(run, results, history);
            run.ChartImageId = chart;
            run.TrendImageId = trend;
            store.InTransaction(() =>
            {
                store.UpdateRun(run);
                foreach (var recipient in store.RemindersOf(run.Id))
                {
                    recipient.RemindDueAt = null;
                    store.UpdateRecipient(recipient);
                }

                if (run.Anonymous)
                {
                    foreach (var response in responses)
                    {
                        store.DeleteResponse(response.Id);
                        response.Id = SurveyResponse.IdOf(run.Id, "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
                        store.SaveResponse(response);
                    }
                }

                if (run.ResultsChannel is { } channel && AudienceKeys.TryParseConversation(channel, out var address))
                {
                    outbox.Enqueue(new OutboundMessage($"survey:{run.Id}:results", new ToConversation(address), SurveyMessages.Results(run, results, history, chart, trend, ZoneOf(run.TimeZone))));
                }

                return true;
            });
            LogClosed(run.Id, results.Respondents, run.Prompted);
            return run;
        }
    }

    /// <summary>Whether the person may answer this run from that message now; null when so.</summary>
    public (AnswerOutcome? Refusal, SurveyRun? Run) Admit(UserRef user, string runId, string? cardKeyOfSource)
    {
        var run = store.Run(runId);
        return (Refusal(run, user, cardKeyOfSource), run);
    }

    private AnswerOutcome? Refusal(SurveyRun? run, UserRef user, string? cardKeyOfSource)
    {
        if (run is null)
        {
            return AnswerOutcome.NoSuchRun;
        }

        // The button must have come in this run's own prompt (when the channel tells us which message it was in).
        if (cardKeyOfSource is not null && cardKeyOfSource.StartsWith(SurveysFeature.CardKeyPrefix, StringComparison.Ordinal)
            && cardKeyOfSource != SurveyMessages.CardKeyOf(run.Id))
        {
            return AnswerOutcome.NotForYou;
        }

        if (store.Recipient(run.Id, user.Key) is not { Status: RecipientStatus.Prompted })
        {
            return AnswerOutcome.NotForYou;
        }

        return run.Status != RunStatus.Open || time.GetUtcNow() >= Instant(run.ClosesAt) ? AnswerOutcome.Closed : null;
    }

    /// <summary>Records one change of a person's answers, after checking everything the click carried.</summary>
    public (AnswerOutcome Outcome, SurveyRun? Run) Answer(UserRef user, string runId, AnswerChange change, string? cardKeyOfSource)
    {
        lock (_gate)
        {
            var found = store.Run(runId);
            if (Refusal(found, user, cardKeyOfSource) is { } refusal)
            {
                return (refusal, found);
            }

            var run = found!;
            if (!IsValid(run, change))
            {
                return (AnswerOutcome.Invalid, run);
            }

            var id = keys.ResponseIdOf(run, user.Key);
            store.InTransaction(() =>
            {
                var response = store.Response(id) ?? new SurveyResponse
                {
                    Id = id,
                    RunId = run.Id,
                    UserKey = run.Anonymous ? null : user.Key,
                    DisplayName = run.Anonymous ? null : user.DisplayName,
                };
                var answer = response.Answers.Find(a => a.Question == change.Question);
                if (answer is null)
                {
                    answer = new QuestionAnswer { Question = change.Question };
                    response.Answers.Add(answer);
                }

                switch (change)
                {
                    case Pick pick when run.Questions[pick.Question].Kind == QuestionKind.Choice:
                        answer.Choices = [pick.Value];
                        break;
                    case Pick pick:
                        answer.Number = pick.Value;
                        break;
                    case Toggle toggle:
                        if (!answer.Choices.Remove(toggle.Option))
                        {
                            answer.Choices.Add(toggle.Option);
                            answer.Choices.Sort();
                        }

                        break;
                    case Write write:
                        answer.Text = write.Text.Trim();
                        break;
                    default:
                        break;
                }

                response.Answers.RemoveAll(a => a.Number is null && a.Choices.Count == 0 && string.IsNullOrEmpty(a.Text));
                response.UpdatedAt = run.Anonymous ? null : time.GetUtcNow().UtcDateTime;
                store.SaveResponse(response);
                return true;
            });
            return (AnswerOutcome.Saved, run);
        }
    }

    /// <summary>The person's own response, for showing their choices back; always null for anonymous runs.</summary>
    public SurveyResponse? OwnResponse(SurveyRun run, UserRef user) =>
        run.Anonymous ? null : store.Response(keys.ResponseIdOf(run, user.Key));

    public RunResults ResultsOf(SurveyRun run) => SurveyResults.Compute(run, store.Responses(run.Id));

    /// <summary>This survey's closed runs, oldest first, with this run last.</summary>
    public IReadOnlyList<SurveyRun> History(SurveyRun run) =>
        [.. store.ClosedRuns(run.SurveyId, 12).Where(r => r.Id != run.Id && r.Number < run.Number).Reverse(), run];

    /// <summary>Renders and stores the distribution chart and, with two runs or more, the trend chart.</summary>
    public (string? Chart, string? Trend) RenderCharts(SurveyRun run, RunResults results, IReadOnlyList<SurveyRun> history)
    {
        try
        {
            var chart = SurveyChart.Distribution(run.Title, results) is { } png ? images.Save(png, $"survey {run.Id} distribution") : null;
            var points = SurveyMessages.TrendPoints(history, out var figure);
            var trend = results.Suppressed ? null : SurveyChart.Trend(run.Title, figure, points) is { } line ? images.Save(line, $"survey {run.SurveyId} trend") : null;
            return (chart, trend);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogChartFailed(ex, run.Id); // results without a picture beat no results
            return (null, null);
        }
    }

    public TimeZoneInfo ZoneOf(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone
        : TimeZoneInfo.TryFindSystemTimeZoneById(team.CurrentValue.TimeZone, out var org) ? org
        : TimeZoneInfo.Utc;

    private static string AfterResolutionRunId(string ticketId) => $"{AfterResolutionSurveyId}-{ticketId}";

    public static string MessageKey(string runId, string userKey, string kind) => $"survey:{runId}:{userKey}:{kind}";

    private bool HasAnswered(SurveyRun run, string userKey) => store.Response(keys.ResponseIdOf(run, userKey)) is { Answers.Count: > 0 };

    private static bool IsValid(SurveyRun run, AnswerChange change)
    {
        if (change.Question < 0 || change.Question >= run.Questions.Count)
        {
            return false;
        }

        var question = run.Questions[change.Question];
        return (change, question.Kind) switch
        {
            (Pick p, QuestionKind.Nps) => p.Value is >= 0 and <= 10,
            (Pick p, QuestionKind.Csat) => p.Value is >= 1 and <= 5,
            (Pick p, QuestionKind.Choice) => p.Value >= 0 && p.Value < question.Options.Count,
            (Toggle t, QuestionKind.Multi) => t.Option >= 0 && t.Option < question.Options.Count,
            (Write w, QuestionKind.Text) => !string.IsNullOrWhiteSpace(w.Text) && w.Text.Length <= SurveysFeature.MaxCommentLength,
            _ => false,
        };
    }

    private static SurveyRecipient PendingRecipient(string runId, UserRef person) => new()
    {
        Id = SurveyRecipient.IdOf(runId, person.Key),
        RunId = runId,
        UserKey = person.Key,
        Channel = person.Channel,
        UserId = person.Id,
        DisplayName = person.DisplayName,
        TimeZone = person.TimeZone,
        Status = RecipientStatus.Pending,
    };

    private static UserRef UserOf(SurveyRecipient recipient) => new(recipient.Channel, recipient.UserId, recipient.DisplayName, recipient.TimeZone);

    /// <summary>LiteDB hands dates back in local time; every instant here is compared in UTC.</summary>
    internal static DateTimeOffset Instant(DateTime stored) => new(stored.ToUniversalTime());

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey run {RunId} started for {Recipients} people")]
    private partial void LogStarted(string runId, int recipients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey run {RunId} closed: {Respondents} answered of {Prompted} asked")]
    private partial void LogClosed(string runId, int respondents, int prompted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chart of survey run {RunId} could not be rendered; results go out without it")]
    private partial void LogChartFailed(Exception ex, string runId);
}
