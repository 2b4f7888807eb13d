using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PlatformBot.Team;

namespace PlatformBot.Routing;

/// <summary>Explicit registration: a feature lists its commands, interaction prefixes and message handlers here.</summary>
public static class RoutingServiceCollectionExtensions
{
    public static IServiceCollection AddCommand<THandler>(this IServiceCollection services, string name, string summary, string usage, Role minimumRole = Role.Requester)
        where THandler : class, ICommandHandler
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(new CommandRoute(name, summary, usage, typeof(THandler)) { MinimumRole = minimumRole });
        return services;
    }

    public static IServiceCollection AddInteraction<THandler>(this IServiceCollection services, string actionIdPrefix)
        where THandler : class, IInteractionHandler
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(new InteractionRoute(actionIdPrefix, typeof(THandler)));
        return services;
    }

    public static IServiceCollection AddMessageHandler<THandler>(this IServiceCollection services, string? cardKeyPrefix, int order = 0)
        where THandler : class, IMessageHandler
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(new MessageRoute(cardKeyPrefix, typeof(THandler), order));
        return services;
    }
}
