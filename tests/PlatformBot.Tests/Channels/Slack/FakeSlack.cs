using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>A call the bot made to the fake Slack: the Web API method (or <c>response_url</c>) and its arguments.</summary>
public sealed record SlackCall(string Method, JsonObject Body, string? Authorization);

/// <summary>
/// Slack's Web API, response URLs and Socket Mode, faked on 127.0.0.1: records every call, answers <c>ok:true</c> with
/// plausible data, and can be scripted to answer a method with 429, 5xx or <c>ok:false</c> first.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Scripted>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _acks = new(StringComparer.Ordinal);
    private int _ts;
    private int _socketCount;

    private FakeSlack(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    public ConcurrentQueue<SlackCall> Calls { get; } = new();

    /// <summary>What conversations.history answers as the text of any message asked for.</summary>
    public string HistoryText { get; set; } = "The build cache is full";

    /// <summary>Who wrote the message conversations.history returns.</summary>
    public string HistoryUser { get; set; } = "U0CAROL";

    /// <summary>
    /// Messages that are replies in a thread, by ts, with their thread's parent ts: as in Slack, conversations.history
    /// does not hold them (it answers the parent), and conversations.replies answers the parent, then the reply.
    /// </summary>
    public ConcurrentDictionary<string, string> ThreadReplies { get; } = new(StringComparer.Ordinal);

    /// <summary>What conversations.members answers, per channel id (a channel not listed is <c>channel_not_found</c>).</summary>
    public ConcurrentDictionary<string, string[]> ChannelMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>At most this many member ids per conversations.members page, whatever the limit asked for.</summary>
    public int MembersPageSize { get; set; } = 1000;

    /// <summary>The first call for this conversations.members cursor answers 429 with <see cref="ThrottleSeconds"/>.</summary>
    public string? ThrottleCursorOnce { get; set; }

    public int ThrottleSeconds { get; set; } = 30;

    /// <summary>Fields users.info adds to a user (is_bot, deleted, tz, real_name), per user id.</summary>
    public ConcurrentDictionary<string, JsonObject> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Open Socket Mode connections, oldest first (closed ones stay in the list).</summary>
    public ConcurrentQueue<WebSocket> Sockets { get; } = new();

    public int SocketsOpened => Volatile.Read(ref _socketCount);

    public Uri ResponseUrl(string id) => new(BaseUrl, $"respond/{id}");

    public IEnumerable<SlackCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlack(app);
        app.UseWebSockets();
        app.MapPost("/api/{method}", (Func<HttpContext, string, Task>)fake.ApiAsync);
        app.MapPost("/respond/{id}", (Func<HttpContext, string, Task>)fake.RespondAsync);
        app.Map("/socket", (Func<HttpContext, Task>)fake.SocketAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>The next call to <paramref name="method"/> gets this answer instead of the default one.</summary>
    public void Script(string method, int status, string body = "{\"ok\":true}", int? retryAfterSeconds = null, TimeSpan? delay = null) =>
        _scripts.GetOrAdd(method, _ => new ConcurrentQueue<Scripted>()).Enqueue(new Scripted(status, body, retryAfterSeconds, delay));

    /// <summary>Waits (for background work, never for time to pass) until <paramref name="method"/> was called <paramref name="count"/> times.</summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, int count = 1, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var calls = CallsTo(method).ToList();
            if (calls.Count >= count)
            {
                return calls;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Expected {count} call(s) to {method}; saw {calls.Count}. All calls: {string.Join(", ", Calls.Select(c => c.Method))}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async Task WaitForSocketsAsync(int count, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (SocketsOpened < count)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Expected {count} Socket Mode connection(s); saw {SocketsOpened}.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Sends an envelope over a Socket Mode connection and waits for the bot's acknowledgement of it.</summary>
    public async Task<JsonObject> PushAsync(WebSocket socket, JsonObject envelope)
    {
        var id = (string)envelope["envelope_id"]!;
        var ack = _acks.GetOrAdd(id, _ => new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(socket, envelope);
        return await ack.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    public static Task SendAsync(WebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private async Task ApiAsync(HttpContext http, string method)
    {
        var body = await ReadBodyAsync(http.Request);
        Calls.Enqueue(new SlackCall(method, body, http.Request.Headers.Authorization.ToString()));
        if (_scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            if (scripted.Delay is { } delay)
            {
                await Task.Delay(delay, http.RequestAborted);
            }

            http.Response.StatusCode = scripted.Status;
            if (scripted.RetryAfterSeconds is { } retry)
            {
                http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(scripted.Body);
            return;
        }

        if (method == "conversations.members" && (string?)body["cursor"] is { } cursor && cursor == ThrottleCursorOnce)
        {
            ThrottleCursorOnce = null;
            http.Response.StatusCode = 429;
            http.Response.Headers.RetryAfter = ThrottleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        await http.Response.WriteAsJsonAsync(DefaultAnswer(method, body));
    }

    /// <summary>A page of a channel's members: cursors are "page:N", pages hold <see cref="MembersPageSize"/> ids at most.</summary>
    private JsonObject MembersPage(JsonObject body)
    {
        if (!ChannelMembers.TryGetValue((string?)body["channel"] ?? string.Empty, out var members))
        {
            return new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" };
        }

        var size = Math.Min(MembersPageSize, int.Parse((string?)body["limit"] ?? "100", System.Globalization.CultureInfo.InvariantCulture));
        var page = (string?)body["cursor"] is { } cursor ? int.Parse(cursor["page:".Length..], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var ids = members.Skip((page - 1) * size).Take(size).ToArray();
        var next = page * size < members.Length ? $"page:{page + 1}" : string.Empty;
        return new JsonObject
        {
            ["ok"] = true,
            ["members"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        };
    }

    private JsonObject UserInfo(string? id)
    {
        var user = new JsonObject { ["id"] = id, ["name"] = "someone", ["tz"] = "America/Chicago" };
        if (id is not null && Users.TryGetValue(id, out var extra))
        {
            foreach (var (key, value) in extra)
            {
                user[key] = value?.DeepClone();
            }
        }

        return new JsonObject { ["ok"] = true, ["user"] = user };
    }

    private JsonObject DefaultAnswer(string method, JsonObject body) => method switch
    {
        "chat.postMessage" => new JsonObject { ["ok"] = true, ["channel"] = (string?)body["channel"], ["ts"] = NextTs() },
        "chat.update" => new JsonObject { ["ok"] = true, ["channel"] = (string?)body["channel"], ["ts"] = (string?)body["ts"] },
        "chat.getPermalink" => new JsonObject { ["ok"] = true, ["permalink"] = $"https://example.slack.com/archives/{body["channel"]}/p{((string?)body["message_ts"])?.Replace(".", "", StringComparison.Ordinal)}" },
        "conversations.open" => new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + (string?)body["users"] } },
        "conversations.history" => ThreadReplies.TryGetValue((string?)body["latest"] ?? string.Empty, out var parent)
            ? new JsonObject { ["ok"] = true, ["messages"] = new JsonArray(new JsonObject { ["ts"] = parent, ["text"] = "The thread's first message", ["user"] = "U0DAVE", ["thread_ts"] = parent }) }
            : new JsonObject { ["ok"] = true, ["messages"] = new JsonArray(new JsonObject { ["ts"] = (string?)body["latest"], ["text"] = HistoryText, ["user"] = HistoryUser }) },
        "conversations.replies" => ThreadReplies.TryGetValue((string?)body["ts"] ?? string.Empty, out var thread)
            ? new JsonObject
            {
                ["ok"] = true,
                ["messages"] = new JsonArray(
                    new JsonObject { ["ts"] = thread, ["text"] = "The thread's first message", ["user"] = "U0DAVE", ["thread_ts"] = thread },
                    new JsonObject { ["ts"] = (string?)body["ts"], ["text"] = HistoryText, ["user"] = HistoryUser, ["thread_ts"] = thread }),
            }
            : new JsonObject { ["ok"] = false, ["error"] = "thread_not_found" },
        "users.info" => UserInfo((string?)body["user"]),
        "conversations.members" => MembersPage(body),
        "apps.connections.open" => new JsonObject { ["ok"] = true, ["url"] = new Uri(BaseUrl, "socket").ToString().Replace("http://", "ws://", StringComparison.Ordinal) },
        "views.open" or "views.update" or "views.publish" => new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V" + NextTs().Replace(".", "", StringComparison.Ordinal) } },
        _ => new JsonObject { ["ok"] = true },
    };

    private async Task RespondAsync(HttpContext http, string id)
    {
        var body = await ReadBodyAsync(http.Request);
        Calls.Enqueue(new SlackCall("response_url", body, id));
        await http.Response.WriteAsync("ok");
    }

    private async Task SocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        Sockets.Enqueue(socket);
        Interlocked.Increment(ref _socketCount);
        await SendAsync(socket, new JsonObject { ["type"] = "hello", ["num_connections"] = SocketsOpened });
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }

                var message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)) as JsonObject;
                if (message?["envelope_id"] is { } id)
                {
                    _acks.GetOrAdd((string)id!, _ => new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the bot went away
        }
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        if ((request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }

        var form = new JsonObject();
        foreach (var (key, value) in QueryHelpers.ParseQuery(text))
        {
            form[key] = value.ToString();
        }

        return form;
    }

    private string NextTs() => $"1700000000.{Interlocked.Increment(ref _ts):000000}";

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in Sockets)
        {
            socket.Abort();
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private sealed record Scripted(int Status, string Body, int? RetryAfterSeconds, TimeSpan? Delay);
}
