using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>
/// A Bot Connector on 127.0.0.1 (the REST calls of teams-protocol.md §2): records every call with its raw path, answers with
/// new activity ids, opens 1:1 chats, and fails on demand like a throttled or refusing connector.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _failures = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _next;

    private FakeConnector(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The serviceUrl to put in activities (ends in '/', as Teams' do).</summary>
    public string ServiceUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    public IEnumerable<ConnectorCall> Posts => Calls.Where(c => c.Method == "POST" && c.Path.Contains("/activities", StringComparison.Ordinal));

    public IEnumerable<ConnectorCall> Updates => Calls.Where(c => c.Method == "PUT");

    public IEnumerable<ConnectorCall> CreatedConversations => Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/v3/conversations", StringComparison.Ordinal));

    /// <summary>The roster <c>GET …/pagedmembers</c> serves, per conversation id (an unknown one is 404).</summary>
    public ConcurrentDictionary<string, JsonObject[]> Rosters { get; } = new(StringComparer.Ordinal);

    /// <summary>At most this many members per roster page, whatever pageSize asked for.</summary>
    public int RosterPageSize { get; set; } = 500;

    public IEnumerable<ConnectorCall> RosterCalls => Calls.Where(c => c.Method == "GET" && c.Path.Contains("/pagedmembers", StringComparison.Ordinal));

    /// <summary>
    /// Waits until the calls received so far satisfy <paramref name="condition"/>: for work the bot finishes after the HTTP
    /// answer. Gives up after 15 s of real time, which only a missing call takes.
    /// </summary>
    public async Task WaitForAsync(Func<IEnumerable<ConnectorCall>, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (!condition(Calls))
        {
            try
            {
                await _arrivals.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The connector did not get the expected calls; it got: {string.Join(", ", Calls.Select(c => $"{c.Method} {c.Path}"))}");
            }
        }
    }

    /// <summary>The next calls answer these statuses (e.g. 429, then 200 again).</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _failures.Enqueue(status);
        }
    }

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new FakeConnector(app);
        app.Run(connector.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        connector.ServiceUrl = address.TrimEnd('/') + "/connector/";
        return connector;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var call = new ConnectorCall(context.Request.Method, raw, body.Length == 0 ? null : JsonNode.Parse(body), context.Request.Headers.Authorization.ToString());
        Calls.Enqueue(call);
        _arrivals.Release();
        if (_failures.TryDequeue(out var status))
        {
            context.Response.StatusCode = status;
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "3";
            }

            await context.Response.WriteAsJsonAsync(new { error = new { code = status == 403 ? "MessageWritesBlocked" : "Throttled", message = "fake failure" } });
            return;
        }

        if (call.Method == "GET" && raw.Contains("/pagedmembers", StringComparison.Ordinal))
        {
            await RosterPageAsync(context, raw);
            return;
        }

        var id = "msg-" + Interlocked.Increment(ref _next);
        if (call.Method == "POST" && raw.EndsWith("/v3/conversations", StringComparison.Ordinal))
        {
            var member = (string?)call.Body?["members"]?[0]?["id"] ?? "nobody";
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { id = "a:dm-" + member });
            return;
        }

        context.Response.StatusCode = call.Method == "PUT" ? 200 : 201;
        await context.Response.WriteAsJsonAsync(new { id = call.Method == "PUT" ? raw[(raw.LastIndexOf('/') + 1)..] : id });
    }

    /// <summary>A page of a roster: continuation tokens are "page-N".</summary>
    private async Task RosterPageAsync(HttpContext context, string raw)
    {
        const string prefix = "/v3/conversations/";
        var start = raw.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        var conversation = Uri.UnescapeDataString(raw[start..raw.IndexOf("/pagedmembers", StringComparison.Ordinal)]);
        if (!Rosters.TryGetValue(conversation, out var members))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "ConversationNotFound", message = "fake" } });
            return;
        }

        var pageSize = int.Parse(context.Request.Query["pageSize"].ToString() is { Length: > 0 } asked ? asked : "500", System.Globalization.CultureInfo.InvariantCulture);
        var size = Math.Min(RosterPageSize, pageSize);
        var token = context.Request.Query["continuationToken"].ToString();
        var page = token.StartsWith("page-", StringComparison.Ordinal) ? int.Parse(token[5..], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var body = new JsonObject { ["members"] = new JsonArray([.. members.Skip((page - 1) * size).Take(size).Select(m => m.DeepClone())]) };
        if (page * size < members.Length)
        {
            body["continuationToken"] = $"page-{page + 1}";
        }

        await context.Response.WriteAsJsonAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}

/// <summary>One REST call the bot made: <see cref="Path"/> is the raw request target, as sent (still URL-encoded).</summary>
public sealed record ConnectorCall(string Method, string Path, JsonNode? Body, string Authorization)
{
    /// <summary>The Adaptive Card the activity carries, if any.</summary>
    public JsonObject? Card => Body?["attachments"]?[0]?["content"] as JsonObject;

    public string CardText => TextOf(Card);

    /// <summary>The text of every TextRun in a card, concatenated.</summary>
    public static string TextOf(JsonNode? card) => card is null ? string.Empty : string.Concat(TextsOf(card));

    private static IEnumerable<string> TextsOf(JsonNode node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextRun" => [(string?)o["text"] ?? string.Empty],
        JsonObject o => o.Select(p => p.Value).Where(v => v is not null).SelectMany(v => TextsOf(v!)),
        JsonArray a => a.Where(v => v is not null).SelectMany(v => TextsOf(v!)),
        _ => [],
    };
}
