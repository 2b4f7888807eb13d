namespace PlatformBot.Host.Hosting;

/// <summary>
/// Builds every PlatformBot singleton before the bot serves anything. Stores create their collections and indexes when
/// they are built, which takes the database's write gate; built lazily, the first one could be built by a thread that
/// holds the container's lock for it while another thread, inside a transaction (a Slack batch), holds the gate and
/// asks the container for the same service: a deadlock. Built here, at start, on one thread, nothing waits for anything.
/// A singleton that cannot be built also stops the start here, naming itself, instead of failing a user's request later.
/// </summary>
internal sealed class SingletonWarmUp(IServiceProvider services, IServiceCollection registrations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ours = registrations
            .Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.IsKeyedService && !d.ServiceType.IsGenericTypeDefinition
                && d.ServiceType != typeof(IHostedService)
                && d.ServiceType.Assembly.GetName().Name?.StartsWith("PlatformBot", StringComparison.Ordinal) == true)
            .Select(d => d.ServiceType)
            .Distinct();
        foreach (var type in ours)
        {
            _ = services.GetServices(type).ToList();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
