using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Slack's Web API over HttpClient and System.Text.Json. It never retries by itself: chat.postMessage is not idempotent,
/// so a retry after a timeout could post twice; failures go back to the caller (the outbox retries what is transient).
/// A 429 blocks that method until its Retry-After has passed, so the next call waits instead of hammering Slack.
/// </summary>
internal sealed partial class SlackApiClient
{
    public const string HttpClientName = "slack";

    private static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org",
    };

    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackApiClient> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SlackUser User, DateTimeOffset Expires)> _users = new(StringComparer.Ordinal);

    public SlackApiClient(IHttpClientFactory factory, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackApiClient> logger)
    {
        _http = factory.CreateClient(HttpClientName);
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Calls a write method with a JSON body and the bot token; returns Slack's answer when <c>ok</c> is true.</summary>
    /// <exception cref="ChannelSendException">429, 5xx, timeouts and refused connections are transient; <c>ok:false</c> mostly is not.</exception>
    public Task<JsonObject> CallAsync(string method, JsonObject arguments, CancellationToken cancellationToken) =>
        SendAsync(method, new StringContent(arguments.ToJsonString(), Encoding.UTF8, "application/json"), _options.BotToken, cancellationToken, RateScope(method, arguments));

    /// <summary>
    /// What a 429 holds back: Slack limits chat.* writes per channel (about one message a second each), so a channel that
    /// is rate limited must not stop posts to every other; the other methods are limited per method and workspace.
    /// </summary>
    private static string RateScope(string method, JsonObject arguments) =>
        method.StartsWith("chat.", StringComparison.Ordinal) && (string?)arguments["channel"] is { Length: > 0 } channel ? $"{method}|{channel}" : method;

    /// <summary>Calls a read method form-encoded (Slack's read methods do not all take JSON bodies).</summary>
    public Task<JsonObject> CallFormAsync(string method, IEnumerable<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken, string? token = null) =>
        SendAsync(method, new FormUrlEncodedContent(arguments), token ?? _options.BotToken, cancellationToken);

    public async Task<string> PostMessageAsync(string channel, string? threadTs, JsonObject message, CancellationToken cancellationToken)
    {
        message["channel"] = channel;
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        var answer = await CallAsync("chat.postMessage", message, cancellationToken);
        return (string?)answer["ts"] ?? throw new ChannelSendException("Slack chat.postMessage answered without a ts.", isTransient: false);
    }

    public Task UpdateMessageAsync(string channel, string ts, JsonObject message, CancellationToken cancellationToken)
    {
        message["channel"] = channel;
        message["ts"] = ts;
        return CallAsync("chat.update", message, cancellationToken);
    }

    public Task PostEphemeralAsync(string channel, string user, string? threadTs, JsonObject message, CancellationToken cancellationToken)
    {
        message["channel"] = channel;
        message["user"] = user;
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        return CallAsync("chat.postEphemeral", message, cancellationToken);
    }

    public async Task<string?> GetPermalinkAsync(string channel, string ts, CancellationToken cancellationToken)
    {
        var answer = await CallFormAsync("chat.getPermalink", [new("channel", channel), new("message_ts", ts)], cancellationToken);
        return (string?)answer["permalink"];
    }

    public Task<JsonObject> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, cancellationToken);

    public Task<JsonObject> UpdateViewAsync(string viewId, JsonObject view, CancellationToken cancellationToken) =>
        CallAsync("views.update", new JsonObject { ["view_id"] = viewId, ["view"] = view }, cancellationToken);

    public Task<JsonObject> PublishViewAsync(string userId, JsonObject view, CancellationToken cancellationToken) =>
        CallAsync("views.publish", new JsonObject { ["user_id"] = userId, ["view"] = view }, cancellationToken);

    public async Task<string> OpenDirectAsync(string userId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken);
        return (string?)answer["channel"]?["id"] ?? throw new ChannelSendException("Slack conversations.open answered without a channel id.", isTransient: false);
    }

    public async Task AddReactionAsync(string channel, string ts, string name, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("reactions.add", new JsonObject { ["channel"] = channel, ["timestamp"] = ts, ["name"] = name }, cancellationToken);
        }
        catch (ChannelSendException ex) when (ex.Message.EndsWith(": already_reacted", StringComparison.Ordinal))
        {
            // the reaction is there, which is all we wanted
        }
    }

    /// <summary>A person's name and time zone (cached for <see cref="SlackOptions.UserCacheDuration"/>).</summary>
    public async Task<UserRef> UserInfoAsync(string userId, CancellationToken cancellationToken) =>
        (await UserAsync(userId, cancellationToken)).User;

    /// <summary>
    /// A person as users.info describes them, cached for <see cref="SlackOptions.UserCacheDuration"/> (users.info is Tier 4,
    /// but every event, home tab and survey audience would call it).
    /// </summary>
    public async Task<SlackUser> UserAsync(string userId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_users.TryGetValue(userId, out var cached) && cached.Expires > now)
        {
            return cached.User;
        }

        var answer = await CallFormAsync("users.info", [new("user", userId)], cancellationToken);
        var user = answer["user"];
        var name = (string?)user?["profile"]?["display_name"] is { Length: > 0 } display ? display : (string?)user?["real_name"] ?? (string?)user?["name"];
        var info = new SlackUser(
            new UserRef(PlatformBot.Conversations.Channels.Slack, userId, name, (string?)user?["tz"]),
            IsBot: user?["is_bot"]?.GetValueKind() == System.Text.Json.JsonValueKind.True || userId == SlackUser.Slackbot,
            Deleted: user?["deleted"]?.GetValueKind() == System.Text.Json.JsonValueKind.True);
        _users[userId] = (info, now + _options.UserCacheDuration);
        return info;
    }

    /// <summary>One page of a conversation's member ids (conversations.members); the cursor of the next page, or null at the end.</summary>
    public async Task<(IReadOnlyList<string> Members, string? NextCursor)> MembersPageAsync(string channel, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var arguments = new List<KeyValuePair<string, string>> { new("channel", channel), new("limit", limit.ToString(CultureInfo.InvariantCulture)) };
        if (cursor is { Length: > 0 })
        {
            arguments.Add(new("cursor", cursor));
        }

        var answer = await CallFormAsync("conversations.members", arguments, cancellationToken);
        var members = answer["members"] is JsonArray ids ? ids.Select(m => (string?)m).OfType<string>().ToList() : [];
        return (members, (string?)answer["response_metadata"]?["next_cursor"] is { Length: > 0 } next ? next : null);
    }

    /// <summary>Slack's error code (<c>not_in_channel</c>, …), from this client's "Slack {method}: {error}" message.</summary>
    public static string? ErrorOf(ChannelSendException ex)
    {
        var colon = ex.Message.LastIndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? null : ex.Message[(colon + 2)..];
    }

    /// <summary>
    /// The text and author of one message (a reaction names only the message's channel and ts); null when it is gone.
    /// <c>conversations.history</c> holds only a channel's top-level messages, so a reply in a thread is looked up with
    /// <c>conversations.replies</c> (which takes the ts of any message in the thread).
    /// </summary>
    public async Task<(string Text, string? User)?> MessageAsync(string channel, string ts, CancellationToken cancellationToken)
    {
        var history = await CallFormAsync(
            "conversations.history",
            [new("channel", channel), new("latest", ts), new("inclusive", "true"), new("limit", "1")],
            cancellationToken);
        if (Find(history, ts) is { } topLevel)
        {
            return topLevel;
        }

        var thread = await CallFormAsync(
            "conversations.replies",
            [new("channel", channel), new("ts", ts), new("oldest", ts), new("latest", ts), new("inclusive", "true"), new("limit", "2")],
            cancellationToken);
        return Find(thread, ts);

        static (string Text, string? User)? Find(JsonObject answer, string ts) =>
            answer["messages"] is JsonArray messages && messages.OfType<JsonObject>().FirstOrDefault(m => (string?)m["ts"] == ts) is { } message
                ? ((string?)message["text"] ?? string.Empty, (string?)message["bot_id"] is null ? (string?)message["user"] : null)
                : null;
    }

    /// <summary>Opens a Socket Mode connection with the app-level token; returns its wss:// URL.</summary>
    public async Task<Uri> OpenSocketAsync(CancellationToken cancellationToken)
    {
        var answer = await CallFormAsync("apps.connections.open", [], cancellationToken, _options.AppToken);
        return Uri.TryCreate((string?)answer["url"], UriKind.Absolute, out var url)
            ? url
            : throw new ChannelSendException("Slack apps.connections.open answered without a URL.", isTransient: true);
    }

    /// <summary>Answers through a command's or an interaction's <c>response_url</c> (up to 5 times within 30 minutes).</summary>
    public async Task RespondAsync(Uri responseUrl, JsonObject message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl)
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendRawAsync("response_url", "response_url|" + responseUrl.AbsolutePath, request, cancellationToken); // each URL has its own limit
        if (!response.IsSuccessStatusCode)
        {
            LogCallRefused("response_url", ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            throw new ChannelSendException($"Slack response_url answered {(int)response.StatusCode}.", isTransient: (int)response.StatusCode >= 500);
        }
    }

    private async Task<JsonObject> SendAsync(string method, HttpContent content, string? token, CancellationToken cancellationToken, string? rateScope = null)
    {
        if (string.IsNullOrEmpty(token))
        {
            content.Dispose();
            throw new ChannelSendException($"Slack {method} needs a token: set Slack__BotToken (and Slack__AppToken for Socket Mode).", isTransient: false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.ApiBaseUrl, method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await SendRawAsync(method, rateScope ?? method, request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogCallRefused(method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            throw new ChannelSendException($"Slack {method} answered HTTP {(int)response.StatusCode}.", isTransient: (int)response.StatusCode >= 500);
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            throw new ChannelSendException($"Slack {method} answered something that is not a JSON object.", isTransient: true);
        }

        if (body["ok"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            return body;
        }

        var error = (string?)body["error"] ?? "unknown_error";
        LogNotOk(method, error);
        throw new ChannelSendException($"Slack {method}: {error}", isTransient: TransientErrors.Contains(error));
    }

    private async Task<HttpResponseMessage> SendRawAsync(string method, string rateScope, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_blockedUntil.TryGetValue(rateScope, out var until) && until > now)
        {
            throw new ChannelSendException($"Slack {method} is rate limited for another {(until - now).TotalSeconds:0.#} s.", isTransient: true, retryAfter: until - now);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogCallFailed(method, "timed out");
            throw new ChannelSendException($"Slack {method} timed out.", isTransient: true, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            LogCallFailed(method, ex.Message);
            throw new ChannelSendException($"Slack {method} could not be reached: {ex.Message}", isTransient: true, inner: ex);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var wait = RetryAfter(response);
            _blockedUntil[rateScope] = _time.GetUtcNow() + wait;
            response.Dispose();
            LogRateLimited(method, wait);
            throw new ChannelSendException($"Slack {method} is rate limited; retry after {wait.TotalSeconds:0} s.", isTransient: true, retryAfter: wait);
        }

        return response;
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            _ when response.Headers.TryGetValues("Retry-After", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ => TimeSpan.FromSeconds(1),
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered ok:false with error {Error}")]
    private partial void LogNotOk(string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered HTTP {Status}")]
    private partial void LogCallRefused(string method, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} failed: {Reason}")]
    private partial void LogCallFailed(string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} is rate limited for {Wait}")]
    private partial void LogRateLimited(string method, TimeSpan wait);
}

/// <summary>A Slack account as users.info describes it: the person, and whether it is a bot or deactivated.</summary>
internal sealed record SlackUser(UserRef User, bool IsBot, bool Deleted)
{
    /// <summary>Slackbot is a member of every channel and is not flagged <c>is_bot</c>.</summary>
    public const string Slackbot = "USLACKBOT";
}
