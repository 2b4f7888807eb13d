using PlatformBot.Scheduling;
using Quartz;

namespace PlatformBot.Host.Hosting;

internal static class SchedulingSetup
{
    /// <summary>Quartz wakes each registered sweep on its interval; the work itself lives in LiteDB, never one job per item.</summary>
    public static IServiceCollection AddPlatformScheduling(this IServiceCollection services)
    {
        services.AddQuartz(q =>
        {
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 4);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<SweepScheduler>();
        return services;
    }

    private sealed class SweepScheduler(ISchedulerFactory factory, IEnumerable<SweepRegistration> sweeps, TimeProvider time) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var scheduler = await factory.GetScheduler(cancellationToken);
            foreach (var sweep in sweeps)
            {
                var job = JobBuilder.Create<SweepJob>()
                    .WithIdentity(sweep.Name, "sweeps")
                    .UsingJobData(SweepJob.SweepTypeKey, sweep.SweepType.AssemblyQualifiedName!)
                    .Build();
                // The trigger computes on the scheduler's clock (Quartz 4 takes the container's TimeProvider); without it,
                // its times come from the system clock while the scheduler runs on the injected one (a FakeTimeProvider in tests).
                var trigger = TriggerBuilder.Create(time)
                    .WithIdentity(sweep.Name, "sweeps")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(sweep.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                    .Build();
                await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
