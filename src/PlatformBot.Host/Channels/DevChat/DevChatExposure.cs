using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>
/// The dev chat has no sign-in: whoever reaches it types any user name. Outside Development it may therefore only listen on
/// loopback, unless <c>DevChannel:AllowRemote=true</c> says otherwise.
/// </summary>
internal static partial class DevChatExposure
{
    /// <summary>Refuses the start when the dev chat would be reachable from other machines without <c>DevChannel:AllowRemote</c>.</summary>
    public static void EnsureAllowed(IConfiguration configuration, DevChannelOptions options)
    {
        var urls = ListenUrls(configuration);
        if (options.AllowRemote || (urls.Count > 0 && urls.TrueForAll(IsLoopback)))
        {
            return;
        }

        var where = urls.Count > 0 ? string.Join(", ", urls) : "the ports of ASPNETCORE_HTTP_PORTS / ASPNETCORE_HTTPS_PORTS on every interface";
        throw new OptionsValidationException(DevChannelOptions.SectionName, typeof(DevChannelOptions), [
            $"DevChannel:Enabled is true outside Development and the host listens on {where}: anyone who can reach the dev chat can act as any user, admins included. "
            + "Listen on loopback only (--urls=http://127.0.0.1:5080), turn the dev chat off, or set DevChannel:AllowRemote=true on purpose.",
        ]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dev chat is on outside Development ({Environment}): anyone who can reach it can act as any user, admins included. Set DevChannel:Enabled=false unless this is a local test")]
    public static partial void OpenOutsideDevelopment(ILogger logger, string environment);

    // What Kestrel binds: its own endpoints when configured (they win over urls), else urls; ports-only settings bind every interface.
    private static List<string> ListenUrls(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        return [.. (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    // Kestrel accepts wildcards that Uri does not parse ("http://*:5080", "http://+:5080"): those are every interface.
    private static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
