using Microsoft.Extensions.Diagnostics.HealthChecks;
using PlatformBot.Storage;

namespace PlatformBot.Host.Hosting;

/// <summary>Ready when the database answers and the scheduler runs; features add their own checks (the knowledge index).</summary>
internal sealed class DatabaseReadiness(PlatformDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = database.Database.GetCollectionNames().Count();
            return Task.FromResult(HealthCheckResult.Healthy("database open"));
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or ObjectDisposedException or IOException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("database unavailable", ex));
        }
    }
}

internal sealed class SchedulerReadiness(Quartz.ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == Quartz.SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler started")
            : HealthCheckResult.Unhealthy($"scheduler {status}");
    }
}
