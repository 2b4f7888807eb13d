using Microsoft.Extensions.DependencyInjection;

namespace PlatformBot.Scheduling;

/// <summary>
/// Time-driven work of a feature: due times live in LiteDB indexed by due time, and Quartz only wakes the process to run
/// what is due. A sweep must be safe to run at any moment and more than once (it runs what is due, exactly once each).
/// </summary>
public interface ISweep
{
    /// <summary>Runs everything due at the current time. Returns how many items it handled.</summary>
    Task<int> RunDueAsync(CancellationToken cancellationToken);
}

/// <summary>A sweep and how often Quartz wakes it.</summary>
public sealed record SweepRegistration(string Name, Type SweepType, TimeSpan Interval);

public static class SweepServiceCollectionExtensions
{
    public static IServiceCollection AddSweep<TSweep>(this IServiceCollection services, string name, TimeSpan interval)
        where TSweep : class, ISweep
    {
        services.AddSingleton<TSweep>();
        services.AddSingleton(new SweepRegistration(name, typeof(TSweep), interval));
        return services;
    }
}
