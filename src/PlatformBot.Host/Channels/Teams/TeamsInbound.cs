using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// <c>POST /api/messages</c>: reads the activity, refuses what is not authenticated (401, nothing processed) and what is
/// not from Teams or not from the bot's tenant (403, nothing processed), drops redeliveries, remembers where the conversation lives, and hands the activity to <see cref="TeamsBot"/>.
/// </summary>
internal sealed partial class TeamsInbound(
    BotFrameworkAuthenticator authenticator,
    TeamsConversationStore store,
    TeamsBot bot,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsInbound> logger)
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The only channel this adapter serves (teams-protocol.md §3, <c>channelId</c>).</summary>
    public const string TeamsChannelId = "msteams";

    private readonly RecentActivities _recent = new(capacity: 20_000);

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await WriteAsync(context, new TeamsResponse(StatusCodes.Status413PayloadTooLarge));
            return;
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync(context.Request.Body, TeamsJson.Default.Activity, cancellationToken);
        }
        catch (JsonException)
        {
            await WriteAsync(context, new TeamsResponse(StatusCodes.Status400BadRequest));
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, new TeamsResponse(StatusCodes.Status413PayloadTooLarge));
            return;
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type) || string.IsNullOrEmpty(activity.Conversation?.Id) || string.IsNullOrEmpty(activity.From?.Id))
        {
            await WriteAsync(context, new TeamsResponse(StatusCodes.Status400BadRequest));
            return;
        }

        var refusal = await CheckAsync(context.Request.Headers.Authorization.ToString(), activity, cancellationToken);
        if (refusal is { } refused)
        {
            await WriteAsync(context, refused);
            return;
        }

        if (activity.Id is { Length: > 0 } id && !_recent.TryAdd($"{activity.Conversation?.Id}|{activity.Type}|{id}"))
        {
            LogDuplicate(id);
            await WriteAsync(context, activity.Type == Activity.Invoke
                ? new TeamsResponse(StatusCodes.Status200OK, AdaptiveCardRenderer.InvokeMessage("Already done."))
                : TeamsResponse.Ok);
            return;
        }

        // From here the activity counts as handled (a redelivery is dropped), so the caller hanging up must not stop the turn:
        // Teams stops waiting after about 15 s, and the answer then still goes through the connector. Only shutting down
        // cancels it. An invoke's answer is still the HTTP response, written if the caller is still there.
        store.Remember(activity, time.GetUtcNow());
        var response = await bot.HandleAsync(activity, lifetime.ApplicationStopping);
        await WriteAsync(context, response);
    }

    /// <summary>Null when the activity may be processed; otherwise the refusal to send.</summary>
    private async Task<TeamsResponse?> CheckAsync(string? authorization, Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl)
            || (serviceUrl.Scheme != Uri.UriSchemeHttps && serviceUrl.Scheme != Uri.UriSchemeHttp))
        {
            LogRefused("the activity has no absolute http(s) serviceUrl");
            return new TeamsResponse(StatusCodes.Status400BadRequest);
        }

        if (authenticator.Enabled)
        {
            var outcome = await authenticator.AuthenticateAsync(authorization, activity, cancellationToken);
            if (outcome.IsUnavailable)
            {
                return new TeamsResponse(StatusCodes.Status503ServiceUnavailable);
            }

            if (!outcome.IsAuthenticated)
            {
                LogRefused(outcome.Failure ?? "invalid token");
                return new TeamsResponse(StatusCodes.Status401Unauthorized);
            }
        }
        else if (!serviceUrl.IsLoopback)
        {
            // Authentication off (no Teams:AppId): only a client on this machine (the Agents Playground) may talk to the
            // bot, and the bot only ever posts back to this machine.
            LogRefused("authentication is off, so only loopback serviceUrls are accepted");
            return new TeamsResponse(StatusCodes.Status401Unauthorized);
        }

        // The Azure Bot resource's keys sign for every channel it has on (Web Chat is on by default, Direct Line on
        // request), and there the sender's id is whatever the page says: only Teams vouches for who wrote, and for the tenant.
        if (!string.Equals(activity.ChannelId, TeamsChannelId, StringComparison.Ordinal))
        {
            LogRefused($"channel '{activity.ChannelId}' is not Teams ('{TeamsChannelId}')");
            return new TeamsResponse(StatusCodes.Status403Forbidden);
        }

        if (authenticator.Enabled && options.Value.TenantId is { Length: > 0 } tenant)
        {
            var activityTenant = TeamsConversationStore.TenantIdOf(activity);
            if (activityTenant is null)
            {
                LogRefused("the activity names no tenant, and this bot serves one");
                return new TeamsResponse(StatusCodes.Status403Forbidden);
            }

            if (!string.Equals(tenant, activityTenant, StringComparison.OrdinalIgnoreCase))
            {
                LogRefused($"tenant {activityTenant} is not this bot's tenant");
                return new TeamsResponse(StatusCodes.Status403Forbidden);
            }
        }

        return null;
    }

    private static Task WriteAsync(HttpContext context, TeamsResponse response)
    {
        context.Response.StatusCode = response.Status;
        if (response.Body is null || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(response.Body.ToJsonString(), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: refused an activity: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: activity {ActivityId} was delivered again; handled once already")]
    private partial void LogDuplicate(string activityId);

    /// <summary>Ids of recently handled activities, in two generations so memory stays bounded.</summary>
    private sealed class RecentActivities(int capacity)
    {
        private readonly Lock _lock = new();
        private HashSet<string> _current = new(StringComparer.Ordinal);
        private HashSet<string> _previous = new(StringComparer.Ordinal);

        public bool TryAdd(string key)
        {
            lock (_lock)
            {
                if (_previous.Contains(key) || !_current.Add(key))
                {
                    return false;
                }

                if (_current.Count >= capacity)
                {
                    _previous = _current;
                    _current = new HashSet<string>(StringComparer.Ordinal);
                }

                return true;
            }
        }
    }
}
