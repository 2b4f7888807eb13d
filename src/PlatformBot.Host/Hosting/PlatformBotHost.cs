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
            EnvironmentName = DefaultEnvironment(args),
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
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

    /// <summary>
    /// Development when nothing names an environment and the host runs from a source checkout (a PlatformBot.sln above it):
    /// <c>dotnet run</c> then needs no launch profile, whose "Using launch settings…" line would spoil the CLI verbs' JSON
    /// output. A published host has no solution above it and stays Production unless told otherwise.
    /// </summary>
    private static string? DefaultEnvironment(string[] args)
    {
        if (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 }
            || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PlatformBot.sln")))
            {
                return Environments.Development;
            }
        }

        return null;
    }

    /// <summary>Opens the database before the host starts so a bad file stops the start with a message that names it.</summary>
    internal static void OpenStorageEarly(WebApplication app) => _ = app.Services.GetRequiredService<PlatformDatabase>();
}
