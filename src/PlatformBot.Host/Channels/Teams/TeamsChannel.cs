using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>The Teams channel's registration and its endpoint, <c>POST /api/messages</c>.</summary>
public static partial class TeamsChannel
{
    public const string Endpoint = "/api/messages";

    /// <summary>
    /// Registers the Teams adapter. With <c>Teams:AppId</c> every activity must carry a valid Bot Framework token. Without
    /// it authentication is off (the Agents Playground): allowed in Development, elsewhere only with
    /// <c>Teams:AllowUnauthenticated=true</c>; otherwise the channel stays off.
    /// </summary>
    public static WebApplicationBuilder AddTeams(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(TeamsOptions.SectionName);
        services.AddOptions<TeamsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        var options = section.Get<TeamsOptions>() ?? new TeamsOptions();
        var mode = options.AuthenticationEnabled ? TeamsMode.Authenticated
            : builder.Environment.IsDevelopment() || options.AllowUnauthenticated ? TeamsMode.Unauthenticated
            : TeamsMode.Off;
        services.AddSingleton(new TeamsState(mode));
        if (mode == TeamsMode.Off)
        {
            return builder;
        }

        // No retrying handler on the connector: a retried POST can post twice; the outbox retries with its own bookkeeping.
        services.AddHttpClient(ConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        services.AddHttpClient(BotFrameworkAuthenticator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient(MsalConnectorTokens.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        if (mode == TeamsMode.Authenticated)
        {
            services.AddSingleton<IConnectorTokens, MsalConnectorTokens>();
        }
        else
        {
            services.AddSingleton<IConnectorTokens, NoConnectorTokens>();
        }

        services.AddSingleton<BotFrameworkAuthenticator>();
        services.AddSingleton<TeamsConversationStore>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<TeamsSender>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<TeamsSender>());
        services.AddSingleton<IConversationMembers, TeamsConversationMembers>();
        services.AddSingleton<TeamsCardLocations>();
        services.AddSingleton<TeamsBot>();
        services.AddSingleton<TeamsInbound>();
        return builder;
    }

    public static WebApplication MapTeams(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<TeamsState>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PlatformBot.Teams");
        switch (state.Mode)
        {
            case TeamsMode.Off:
                LogOff(logger);
                return app;
            case TeamsMode.Unauthenticated:
                LogUnauthenticated(logger, Endpoint);
                break;
            default:
                break;
        }

        app.MapPost(Endpoint, (HttpContext context, TeamsInbound inbound) => inbound.HandleAsync(context));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams is off: set Teams:AppId (and Teams__AppPassword in the environment) to connect Teams")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams AUTHENTICATION IS OFF (Teams:AppId is empty): {Endpoint} accepts unsigned activities whose serviceUrl is on this machine. This is for the Agents Playground; set Teams:AppId before exposing this port.")]
    private static partial void LogUnauthenticated(ILogger logger, string endpoint);
}

internal enum TeamsMode
{
    Off,
    Unauthenticated,
    Authenticated,
}

internal sealed record TeamsState(TeamsMode Mode);
