using PlatformBot.Features.Tickets;
using Quartz;

namespace PlatformBot.Benchmarks;

/// <summary>
/// The other way to let Quartz wake the SLA sweep, measured against the recurring sweep: one trigger set to the earliest
/// due time in LiteDB, moved whenever a write makes something due sooner and after every run.
/// </summary>
internal sealed class EarliestDueWake(ISchedulerFactory schedulers, ITicketStore store, TimeProvider time) : IDisposable
{
    private static readonly JobKey Job = new("sla-earliest", "bench");
    private static readonly TriggerKey Trigger = new("sla-earliest", "bench");
    private readonly SemaphoreSlim _lock = new(1, 1);
    private DateTimeOffset _scheduled = DateTimeOffset.MaxValue;

    public async Task StartAsync()
    {
        var scheduler = await schedulers.GetScheduler();
        await scheduler.AddJob(JobBuilder.Create<EarliestDueJob>().WithIdentity(Job).StoreDurably().Build(), AddJobOptions.Replacing);
        await RescheduleAsync(Earliest(), force: true);
    }

    /// <summary>A write made something due at <paramref name="at"/>: wake earlier if that is sooner.</summary>
    public Task ConsiderAsync(DateTimeOffset at) => RescheduleAsync(at, force: false);

    public Task AfterRunAsync() => RescheduleAsync(Earliest(), force: true);

    public void Dispose() => _lock.Dispose();

    private DateTimeOffset? Earliest()
    {
        var ids = store.DueForSweep(DateTimeOffset.MaxValue.AddDays(-1), 1);
        return ids.Count == 0 ? null : store.Find(ids[0])?.SweepAt;
    }

    private async Task RescheduleAsync(DateTimeOffset? at, bool force)
    {
        await _lock.WaitAsync();
        try
        {
            if (!force && (at is null || at >= _scheduled))
            {
                return;
            }

            var scheduler = await schedulers.GetScheduler();
            await scheduler.UnscheduleJob(Trigger);
            _scheduled = at ?? DateTimeOffset.MaxValue;
            if (at is { } when)
            {
                var start = when < time.GetUtcNow() ? time.GetUtcNow() : when;
                await scheduler.ScheduleJob(TriggerBuilder.Create(time).WithIdentity(Trigger).ForJob(Job).StartAt(start).Build());
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}

[DisallowConcurrentExecution]
internal sealed class EarliestDueJob(TicketSlaSweep sweep, EarliestDueWake wake) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await sweep.RunDueAsync(cancellationToken);
        await wake.AfterRunAsync();
    }
}
