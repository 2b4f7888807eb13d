using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PlatformBot.Events;
using PlatformBot.Features.Sla;
using PlatformBot.Routing;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.Tickets;

public static class TicketsFeature
{
    /// <summary>
    /// Support tickets with SLA clocks: the <c>ticket</c> command, the card's buttons and the form (<c>ticket.</c>),
    /// replies in a card's thread as comments (<c>ticket:</c>), the store, the options (<c>Tickets</c>, <c>Sla</c>),
    /// the SLA sweep, and <see cref="ITickets"/> for other features.
    /// </summary>
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TicketsOptions>().Bind(configuration.GetSection(TicketsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SlaOptions>().Bind(configuration.GetSection(SlaOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>());
        services.TryAddSingleton(sp => SlaSettings.From(sp.GetRequiredService<IOptions<SlaOptions>>().Value));

        services.AddDomainEvents();
        services.TryAddSingleton<LiteDbTicketStore>();
        services.TryAddSingleton<ITicketStore>(sp => sp.GetRequiredService<LiteDbTicketStore>());
        services.TryAddSingleton<TicketReplies>();
        services.TryAddSingleton<TicketMessages>();
        services.TryAddSingleton<TicketService>();
        services.TryAddSingleton<ITickets>(sp => sp.GetRequiredService<TicketService>());

        services.AddCommand<TicketCommandHandler>(
            TicketRoutes.Command,
            "File a support ticket and follow it against its SLA",
            TicketCommandParser.Usage);
        services.AddInteraction<TicketActionHandler>(TicketRoutes.ActionPrefix);
        services.AddMessageHandler<TicketThreadHandler>(TicketRoutes.CardKeyPrefix);

        // One Quartz trigger at the earliest due time wakes the sweep (BENCHMARKS.md); a slow recurring sweep is the safety net.
        var sla = configuration.GetSection(SlaOptions.SectionName);
        if (sla.GetValue<bool?>(nameof(SlaOptions.EarliestDueTrigger)) ?? true)
        {
            services.TryAddSingleton<SlaWakeUp>();
            services.AddHostedService(sp => sp.GetRequiredService<SlaWakeUp>());
            services.TryAddTransient<SlaWakeJob>();
        }

        var interval = sla.GetValue<TimeSpan?>(nameof(SlaOptions.SweepInterval)) ?? new SlaOptions().SweepInterval;
        services.AddSweep<TicketSlaSweep>(TicketSlaSweep.Name, interval);
        return services;
    }
}
