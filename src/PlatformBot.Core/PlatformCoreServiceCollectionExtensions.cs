using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Routing;
using PlatformBot.Scheduling;
using PlatformBot.Storage;
using PlatformBot.Team;

namespace PlatformBot;

public static class PlatformCoreServiceCollectionExtensions
{
    /// <summary>The channel-neutral core: storage, roles, router, outbox and its dispatcher.</summary>
    public static IServiceCollection AddPlatformCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TeamOptions>().Bind(configuration.GetSection(TeamOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(sp => PlatformDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DatabasePath));
        services.TryAddSingleton<ICardDirectory, LiteDbCardDirectory>();
        services.TryAddSingleton<IImageStore, LiteDbImageStore>();
        services.TryAddSingleton<LiteDbOutbox>();
        services.TryAddSingleton<IOutbox>(sp => sp.GetRequiredService<LiteDbOutbox>());
        services.TryAddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSweep<OutboxExpiry>("outbox-expiry", TimeSpan.FromMinutes(15));

        services.TryAddSingleton<IRoles, ConfiguredRoles>();
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton<IBotRouter, BotRouter>();
        return services;
    }
}
