using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PlatformBot.Features.Knowledge;
using PlatformBot.Routing;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.OfficeHours;

public static class OfficeHoursFeature
{
    /// <summary>Office hours: sessions from configuration, announcements, a queue run from chat, follow-ups.</summary>
    public static IServiceCollection AddOfficeHours(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OfficeHoursOptions>()
            .Bind(configuration.GetSection(OfficeHoursOptions.SectionName))
            .PostConfigure(o =>
            {
                if (configuration.GetSection("Knowledge:Folders").Get<string[]>() is [var first, ..])
                {
                    o.DraftsFolder = Path.Combine(first, "drafts");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OfficeHoursOptions>, OfficeHoursOptionsValidator>();
        services.TryAddSingleton<ITopicFollowUps>(sp => new BotFollowUps(sp.GetService<Tickets.ITickets>(), sp.GetService<Knowledge.IKnowledgeSearch>(), sp.GetRequiredService<Outbox.IOutbox>()));
        services.AddSingleton<OfficeHoursCalendar>();
        services.AddSingleton<OfficeHoursStore>();
        services.AddSingleton<IOfficeHours, OfficeHoursService>();
        services.AddSingleton(sp => new KnowledgeDraftWriter(sp.GetRequiredService<IOptions<OfficeHoursOptions>>().Value.DraftsFolder, sp.GetRequiredService<TimeProvider>()));
        services.AddCommand<OfficeHoursHandler>(
            OfficeHoursRoutes.Command,
            "Office hours: the next sessions, a place in the queue for your topic",
            "`/officehours` lists the next sessions · `join [@session] <topic>` · `leave [@session]` · `queue` · hosts: `next`, `done [note]`, `skip` · `stats`");
        services.AddInteraction<OfficeHoursHandler>(OfficeHoursRoutes.Prefix);
        services.AddSweep<OfficeHoursSweep>("officehours", TimeSpan.FromSeconds(30));
        return services;
    }
}
