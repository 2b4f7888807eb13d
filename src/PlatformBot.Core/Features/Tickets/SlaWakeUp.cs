using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// Wakes the SLA sweep with one Quartz trigger set to the earliest due time in LiteDB (the benchmark's choice over a
/// short recurring sweep: lower due → breach latency and nothing to do while idle; BENCHMARKS.md). The trigger moves
/// sooner when a commit writes an earlier due time, and to the next due time after every run; at start it fires at
/// once, so what came due while the process was down is raised then. The recurring sweep (<c>Sla:SweepInterval</c>,
/// one minute) stays as a safety net.
/// </summary>
internal sealed partial class SlaWakeUp(ISchedulerFactory schedulers, LiteDbTicketStore store, TimeProvider time, ILogger<SlaWakeUp> logger) : IHostedService, IDisposable
{
    internal static readonly JobKey Job = new("sla-due", "sla");
    private static readonly TriggerKey Trigger = new("sla-due", "sla");

    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _scheduledTicks = long.MaxValue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.AddJob(JobBuilder.Create<SlaWakeJob>().WithIdentity(Job).StoreDurably().Build(), AddJobOptions.Replacing, cancellationToken);
        store.DueSooner += OnDueSooner;
        await ScheduleAsync(time.GetUtcNow(), force: true);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.DueSooner -= OnDueSooner;
        return Task.CompletedTask;
    }

    /// <summary>After a run: the next due time, or now again while a run left work behind.</summary>
    public Task AfterRunAsync() => ScheduleAsync(null, force: true);

    public void Dispose() => _lock.Dispose();

    private void OnDueSooner(DateTimeOffset at)
    {
        if (at.UtcTicks < Interlocked.Read(ref _scheduledTicks))
        {
            _ = ScheduleSafelyAsync(at);
        }
    }

    private async Task ScheduleSafelyAsync(DateTimeOffset at)
    {
        try
        {
            await ScheduleAsync(at, force: false);
        }
        catch (Exception ex) when (ex is SchedulerException or ObjectDisposedException or InvalidOperationException)
        {
            LogRescheduleFailed(ex); // the recurring safety-net sweep still runs
        }
    }

    private async Task ScheduleAsync(DateTimeOffset? at, bool force)
    {
        await _lock.WaitAsync();
        try
        {
            var when = at ?? store.NextSweepAt(time.GetUtcNow());
            if (!force && (when is null || when.Value.UtcTicks >= _scheduledTicks))
            {
                return;
            }

            var scheduler = await schedulers.GetScheduler();
            await scheduler.UnscheduleJob(Trigger);
            Interlocked.Exchange(ref _scheduledTicks, when?.UtcTicks ?? long.MaxValue);
            if (when is { } due)
            {
                var now = time.GetUtcNow();
                await scheduler.ScheduleJob(TriggerBuilder.Create(time)
                    .WithIdentity(Trigger)
                    .ForJob(Job)
                    .StartAt(due < now ? now : due)
                    .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                    .Build());
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move the SLA wake-up sooner; the recurring sweep covers it")]
    private partial void LogRescheduleFailed(Exception ex);
}

/// <summary>The Quartz job of <see cref="SlaWakeUp"/>: runs what is due, then sets the trigger to the next due time.</summary>
[DisallowConcurrentExecution]
internal sealed partial class SlaWakeJob(TicketSlaSweep sweep, SlaWakeUp wake, ILogger<SlaWakeJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await sweep.RunDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex);
        }
        finally
        {
            await wake.AfterRunAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The SLA wake-up's sweep failed; it runs again at the next due time or safety-net sweep")]
    private partial void LogFailed(Exception ex);
}
