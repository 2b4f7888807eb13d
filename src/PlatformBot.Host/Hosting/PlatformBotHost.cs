using PlatformBot.Conversations;
using PlatformBot.Features.Escalation;
using PlatformBot.Features.Insights;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Features.Platform;
using PlatformBot.Features.Tickets;
using PlatformBot.Features.Surveys;
using PlatformBot.Host.Channels.DevChat;
using PlatformBot.Host.Channels.Slack;
using PlatformBot.Host.Channels.Teams;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PlatformBot.Storage;

namespace PlatformBot.Host.Hosting;

/// <summary>The host, as a table of contents: configuration, core, features, channels, endpoints.</summary>
public static class PlatformBotHost
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory, // where the repository's appsettings.json is linked
        });
        SettingsFileSecrets.EnsureNotInSettingsFiles(builder.Configuration);

        // Our default address only when nothing else names one: --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP(S)_PORTS (the
        // official .NET container images set HTTP_PORTS=8080) or Kestrel:Endpoints.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["https_ports"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Structured logs: one JSON object per line in Production (for the log pipeline), a readable line elsewhere.
        if (builder.Environment.IsProduction())
        {
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        var services = builder.Services;
        var configuration = builder.Configuration;

        // Core: storage, roles, router, outbox; every singleton built at start, before anything is served.
        services.AddHostedService(sp => new SingletonWarmUp(sp, services));
        services.AddPlatformCore(configuration);
        services.AddPlatformScheduling();

        // Features.
        services.AddPlatformAdmin();
        services.AddEscalation(configuration);
        services.AddKnowledgeAnswers(configuration);
        services.AddOfficeHours(configuration);
        services.AddTickets(configuration);
        services.AddSurveys(configuration);
        services.AddInsights();

        // Channels.
        var devChat = builder.AddDevChat();
        builder.AddSlack();
        builder.AddTeams();

        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("PlatformBot")).WithMetrics(metrics => metrics
            .AddMeter(PlatformMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());

        services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: ["ready"])
            .AddCheck<SchedulerReadiness>("scheduler", tags: ["ready"]);

        configure?.Invoke(builder);
        var app = builder.Build();

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapDashboard();
        app.MapImages();
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            // The status, then each check's reason, so "not ready" says why.
            ResponseWriter = (context, report) => context.Response.WriteAsync(
                report.Status + "\n" + string.Concat(report.Entries.Select(e => $"{e.Key}: {e.Value.Status}, {e.Value.Description}\n"))),
        });
        app.MapGet("/officehours.ics", (string? session, Microsoft.Extensions.Options.IOptionsMonitor<OfficeHoursOptions> options, TimeProvider time) =>
            Results.Text(OfficeHoursIcs.Render(options.CurrentValue, time.GetUtcNow(), session), "text/calendar; charset=utf-8"));
        if (devChat.Enabled)
        {
            if (!app.Environment.IsDevelopment())
            {
                DevChatExposure.OpenOutsideDevelopment(app.Logger, app.Environment.EnvironmentName);
            }

            app.MapDevChat(devChat.ProductionNotice);
        }

        app.MapSlack();
        app.MapTeams();

        return app;
    }

    private static (bool Enabled, bool ProductionNotice) AddDevChat(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DevChannelOptions.SectionName).Get<DevChannelOptions>() ?? new DevChannelOptions();
        var enabled = options.Enabled ?? builder.Environment.IsDevelopment();
        if (enabled && !builder.Environment.IsDevelopment())
        {
            DevChatExposure.EnsureAllowed(builder.Configuration, options);
        }

        if (enabled)
        {
            builder.Services.AddSingleton<DevChatStore>();
            builder.Services.AddSingleton<DevChatSender>();
            builder.Services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<DevChatSender>());
            builder.Services.AddSingleton<IConversationMembers, DevChatMembers>();
        }

        return (enabled, enabled && builder.Environment.IsProduction());
    }

    /// <summary>Opens the database before the host starts so a bad file stops the start with a message that names it.</summary>
    internal static void OpenStorageEarly(WebApplication app) => _ = app.Services.GetRequiredService<PlatformDatabase>();
}
