using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Team;
using Quartz;

namespace PlatformBot.Features.Surveys;

/// <summary>One Quartz cron trigger per scheduled survey, in the survey's time zone; each firing starts a run.</summary>
internal sealed class SurveySchedule(ISchedulerFactory schedulers, IOptions<SurveysOptions> options, IOptions<TeamOptions> team, TimeProvider time) : IHostedService
{
    public const string Group = "surveys";

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
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A survey's scheduled firing: starts a run named after the firing time, so a firing seen twice starts one run.</summary>
[DisallowConcurrentExecution]
internal sealed partial class SurveyScheduleJob(SurveyRunner runner, ILogger<SurveyScheduleJob> logger) : IJob
{
    public const string SurveyIdKey = "surveyId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.MergedJobDataMap.GetString(SurveyIdKey) ?? string.Empty;
        try
        {
            if (await runner.StartAsync(id, RunKind.Scheduled, context.ScheduledFireTimeUtc, null, cancellationToken) is null)
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
