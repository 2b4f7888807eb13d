using PlatformBot.Conversations;
using PlatformBot.Features.Platform;
using PlatformBot.Host.Channels.DevChat;
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
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        var services = builder.Services;
        var configuration = builder.Configuration;

        // Core: storage, roles, router, outbox.
        services.AddPlatformCore(configuration);
        services.AddPlatformScheduling();

        // Features.
        services.AddPlatformAdmin();
        services.AddKnowledgeAnswers(configuration);

        // Channels.
        var devChat = builder.AddDevChat();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: ["ready"])
            .AddCheck<SchedulerReadiness>("scheduler", tags: ["ready"]);

        configure?.Invoke(builder);
        var app = builder.Build();

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        if (devChat.Enabled)
        {
            app.MapDevChat(devChat.ProductionNotice);
        }

        return app;
    }

    private static (bool Enabled, bool ProductionNotice) AddDevChat(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DevChannelOptions.SectionName).Get<DevChannelOptions>() ?? new DevChannelOptions();
        var enabled = options.Enabled ?? builder.Environment.IsDevelopment();
        if (enabled)
        {
            builder.Services.AddSingleton<DevChatStore>();
            builder.Services.AddSingleton<DevChatSender>();
            builder.Services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<DevChatSender>());
        }

        return (enabled, enabled && builder.Environment.IsProduction());
    }

    /// <summary>Opens the database before the host starts so a bad file stops the start with a message that names it.</summary>
    internal static void OpenStorageEarly(WebApplication app) => _ = app.Services.GetRequiredService<PlatformDatabase>();
}
