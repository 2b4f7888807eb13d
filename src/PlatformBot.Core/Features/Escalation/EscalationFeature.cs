using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PlatformBot.Events;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Features.Platform;
using PlatformBot.Features.Tickets;
using PlatformBot.Routing;
using PlatformBot.Scheduling;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Escalation;

public static class EscalationFeature
{
    /// <summary>
    /// On-call schedules (<c>/oncall</c>), escalation policies and chains (<c>/escalate</c>), the ping buttons, the sweep that
    /// moves chains, <c>/platform escalation check</c> and the coverage log at start-up.
    /// </summary>
    public static IServiceCollection AddEscalation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OnCallOptions>().Bind(configuration.GetSection(OnCallOptions.SectionName));
        services.AddOptions<EscalationOptions>().Bind(configuration.GetSection(EscalationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EscalationOptions>, EscalationOptionsValidator>();
        services.TryAddSingleton(sp => EscalationConfiguration.Compile(
                sp.GetRequiredService<IOptions<EscalationOptions>>().Value,
                sp.GetRequiredService<IOptions<OnCallOptions>>().Value,
                sp.GetRequiredService<SlaSettings>()).Book
            ?? throw new OptionsValidationException(EscalationOptions.SectionName, typeof(EscalationOptions), ["The escalation configuration is invalid."]));

        services.TryAddSingleton<OnCallRoster>();
        services.TryAddSingleton<IOnCall>(sp => sp.GetRequiredService<OnCallRoster>());
        services.TryAddSingleton<PeopleDirectory>();
        services.TryAddSingleton<EscalationChainStore>();
        services.TryAddSingleton<IEscalationTickets, TicketsBridge>();
        services.TryAddSingleton<EscalationEngine>();
        services.TryAddSingleton<EscalationCoverage>();
        services.TryAddScoped<ManualEscalation>();

        services.AddCommand<EscalateCommandHandler>(
            EscalationRoutes.EscalateCommand,
            "Page whoever is on call about a ticket, or see who would be paged",
            EscalationCommandParser.EscalateUsage);
        services.AddCommand<OnCallCommandHandler>(
            EscalationRoutes.OnCallCommand,
            "Who is on call now and next; overrides",
            EscalationCommandParser.OnCallUsageText);
        services.AddInteraction<EscalationActionHandler>(EscalationRoutes.ActionPrefix);
        services.AddInteraction<EscalationActionHandler>(EscalationRoutes.TicketEscalateButton); // longer than Tickets' "ticket." prefix, so it wins
        services.AddPlatformSubcommand<EscalationCheckSubcommand>();

        services.AddDomainEventHandler<TicketCreated, EscalationTriggers>(when: created => created.Priority == TicketPriority.P1);
        services.AddDomainEventHandler<SlaWarning, EscalationTriggers>();
        services.AddDomainEventHandler<SlaBreached, EscalationTriggers>();
        services.AddDomainEventHandler<TicketResolved, EscalationTriggers>();
        services.AddDomainEventHandler<TicketClosed, EscalationTriggers>();
        services.AddDomainEventHandler<TicketAcknowledged, EscalationTriggers>();
        services.AddDomainEventHandler<TicketResponded, EscalationTriggers>();

        var sweepInterval = configuration.GetSection(EscalationOptions.SectionName).GetValue(nameof(EscalationOptions.SweepInterval), TimeSpan.FromSeconds(15));
        services.AddSweep<EscalationSweep>("escalation", sweepInterval > TimeSpan.Zero ? sweepInterval : TimeSpan.FromSeconds(15));
        services.AddHostedService<EscalationCoverageLog>();
        return services;
    }
}
