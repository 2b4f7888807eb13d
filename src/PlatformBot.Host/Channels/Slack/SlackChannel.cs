using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Features.Tickets;
using PlatformBot.Scheduling;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// The Slack channel's registration. What is configured decides what runs: the signing secret maps the HTTP endpoints
/// (without it they do not exist), the bot token enables sending, the app token chooses Socket Mode.
/// </summary>
public static class SlackChannel
{
    public static WebApplicationBuilder AddSlack(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SlackOptions>().Bind(builder.Configuration.GetSection(SlackOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(SlackOptions.SectionName).Get<SlackOptions>() ?? new SlackOptions();
        var inbound = !string.IsNullOrWhiteSpace(options.SigningSecret) || options.SocketMode;
        if (!inbound && string.IsNullOrWhiteSpace(options.BotToken))
        {
            return builder;
        }

        // No retry handler on purpose: chat.postMessage is not idempotent, and the outbox already retries what failed.
        services.AddHttpClient(SlackApiClient.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiTimeout);
        services.AddSingleton<SlackApiClient>();
        services.AddSingleton<SlackSender>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<SlackSender>());
        services.AddSingleton<IConversationMembers, SlackConversationMembers>();
        if (!inbound)
        {
            return builder;
        }

        services.AddSingleton<SlackInbox>();
        services.AddSingleton<SlackFormStash>();
        services.AddSingleton<SlackHome>();
        if (services.Any(d => d.ServiceType == typeof(IOfficeHours)))
        {
            services.AddHomeSection<OfficeHoursHomeSection>();
        }

        services.AddSingleton<SlackTickets>();
        if (services.Any(d => d.ServiceType == typeof(ITickets)))
        {
            services.AddHomeSection<MyTicketsHomeSection>();
            services.AddHomeSection<AboutToBreachHomeSection>(); // the scorecard is the Insights feature's, on every channel
        }

        services.AddSingleton<SlackResponder>();
        services.AddSingleton<SlackInbound>();
        services.AddHostedService<SlackInboxWorker>();
        services.AddSweep<SlackInboxExpiry>("slack-inbox-expiry", TimeSpan.FromMinutes(15));
        if (options.SocketMode)
        {
            services.AddSingleton<SlackSocketMode>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackSocketMode>());
        }

        return builder;
    }

    /// <summary>Maps <c>/slack/*</c> only when a signing secret is configured: unverifiable requests have nowhere to go.</summary>
    public static WebApplication MapSlack(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!string.IsNullOrWhiteSpace(app.Services.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret))
        {
            app.MapSlackEndpoints();
        }

        return app;
    }
}
