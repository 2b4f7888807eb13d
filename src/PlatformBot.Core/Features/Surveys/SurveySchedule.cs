using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Team;
using Quartz;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// One Quartz cron trigger per scheduled survey, in the survey's time zone; each firing starts a run. Quartz keeps its
/// triggers in memory, so a firing that fell while the process was down would be lost: at start, the latest firing within
/// the survey's OpenFor that has no run yet is started once (its run id comes from the firing time, so this is safe).
/// </summary>
internal sealed partial class SurveySchedule(
    ISchedulerFactory schedulers,
    IOptions<SurveysOptions> options,
    IOptions<TeamOptions> team,
    SurveyRunner runner,
    TimeProvider time,
    ILogger<SurveySchedule> logger) : IHostedService
{
    public const string Group = "surveys";

    /// <summary>Enough to walk back over an OpenFor of weeks for a cron that fires every minute, and no further.</summary>
    private const int MaxFiringsWalked = 100_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var (id, definition) in options.Value.Definitions)
        {
            if (definition.Schedule is not { Length: > 0 } schedule)
            {
                continue;
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone ?? team.Value.TimeZone);
            var job = JobBuilder.Create<SurveyScheduleJob>()
                .WithIdentity(id, Group)
                .UsingJobData(SurveyScheduleJob.SurveyIdKey, id)
                .Build();
            // The builder's clock decides the trigger's start: the injected one, so a test's fake clock is "now".
            var trigger = TriggerBuilder.Create(time)
                .WithIdentity(id, Group)
                .WithCronSchedule(schedule, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);

            if (LatestFiring(schedule, zone, time.GetUtcNow(), definition.OpenFor) is { } missed && !runner.HasRun(id, missed))
            {
                // Started on Quartz's thread, not here: resolving an audience can take a while, and the host should not wait.
                LogCatchingUp(id, missed);
                var catchUp = TriggerBuilder.Create(time)
                    .WithIdentity(id + ".catch-up", Group)
                    .ForJob(job)
                    .UsingJobData(SurveyScheduleJob.FiringKey, missed.ToString("O", CultureInfo.InvariantCulture))
                    .StartNow()
                    .Build();
                await scheduler.ScheduleJob(catchUp, new ScheduleJobOptions { Replace = true }, cancellationToken);
            }
        }
    }

    /// <summary>The latest firing of <paramref name="schedule"/> at or before <paramref name="now"/> and after <c>now - within</c>; null when none.</summary>
    internal static DateTimeOffset? LatestFiring(string schedule, TimeZoneInfo zone, DateTimeOffset now, TimeSpan within)
    {
        var cron = new CronExpression(schedule, zone);
        DateTimeOffset? latest = null;
        var after = now - within;
        for (var i = 0; i < MaxFiringsWalked && cron.GetNextValidTimeAfter(after) is { } next && next <= now; i++)
        {
            latest = next;
            after = next;
        }

        return latest;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} missed its firing at {Firing} while the bot was down; starting that run now")]
    private partial void LogCatchingUp(string surveyId, DateTimeOffset firing);
}

/// <summary>A survey's scheduled firing: starts a run named after the firing time, so a firing seen twice starts one run.</summary>
[DisallowConcurrentExecution]
internal sealed partial class SurveyScheduleJob(SurveyRunner runner, ILogger<SurveyScheduleJob> logger) : IJob
{
    public const string SurveyIdKey = "surveyId";

    /// <summary>A catch-up trigger's missed firing (round-trip format); a cron firing uses its own scheduled time.</summary>
    public const string FiringKey = "firing";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.MergedJobDataMap.GetString(SurveyIdKey) ?? string.Empty;
        try
        {
            var firing = context.MergedJobDataMap.GetString(FiringKey) is { } missed
                ? DateTimeOffset.Parse(missed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : context.ScheduledFireTimeUtc;
            if (await runner.StartAsync(id, RunKind.Scheduled, firing, null, cancellationToken) is null)
            {
                LogUnknown(id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled survey {SurveyId} is no longer defined")]
    private partial void LogUnknown(string surveyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled survey {SurveyId} could not start; it runs again at its next firing")]
    private partial void LogFailed(Exception ex, string surveyId);
}
