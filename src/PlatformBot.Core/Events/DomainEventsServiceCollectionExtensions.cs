using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PlatformBot.Events;

/// <summary>
/// A handler (or, with <paramref name="IsProjection"/>, a projection) registered for an event type; <paramref name="When"/>
/// narrows which events of that type a handler wants (the others are not stored for it).
/// </summary>
public sealed record DomainEventSubscription(Type EventType, Type HandlerType, bool IsProjection = false, Func<IDomainEvent, bool>? When = null)
{
    public bool Wants(IDomainEvent domainEvent) => When is null || When(domainEvent);
}

public static class DomainEventsServiceCollectionExtensions
{
    /// <summary>The event bus itself; every feature that publishes or handles events calls this (it is idempotent).</summary>
    public static IServiceCollection AddDomainEvents(this IServiceCollection services)
    {
        services.TryAddSingleton<DomainEventBus>();
        services.TryAddSingleton<IDomainEvents>(sp => sp.GetRequiredService<DomainEventBus>());
        if (!services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationFactory?.Method.DeclaringType == typeof(DomainEventsServiceCollectionExtensions)))
        {
            services.AddHostedService(HostedBus);
        }

        return services;
    }

    /// <summary>
    /// Registers a handler explicitly: <c>services.AddDomainEventHandler&lt;SlaBreached, StartEscalation&gt;()</c>;
    /// <paramref name="when"/> keeps the events it does not want from being stored for it.
    /// </summary>
    public static IServiceCollection AddDomainEventHandler<TEvent, THandler>(this IServiceCollection services, Func<TEvent, bool>? when = null)
        where TEvent : IDomainEvent
        where THandler : class, IDomainEventHandler<TEvent>
    {
        services.AddDomainEvents();
        services.TryAddScoped<THandler>();
        services.AddSingleton(new DomainEventSubscription(typeof(TEvent), typeof(THandler), When: when is null ? null : e => e is TEvent typed && when(typed)));
        return services;
    }

    /// <summary>Registers a projection: <c>services.AddDomainEventProjection&lt;TicketCreated, RecentRequesterLedger&gt;()</c>.</summary>
    public static IServiceCollection AddDomainEventProjection<TEvent, TProjection>(this IServiceCollection services)
        where TEvent : IDomainEvent
        where TProjection : class, IDomainEventProjection<TEvent>
    {
        services.AddDomainEvents();
        services.TryAddScoped<TProjection>();
        services.AddSingleton(new DomainEventSubscription(typeof(TEvent), typeof(TProjection), IsProjection: true));
        return services;
    }

    private static DomainEventBus HostedBus(IServiceProvider services) => services.GetRequiredService<DomainEventBus>();
}
