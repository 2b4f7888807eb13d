using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiteDB;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlatformBot.Host.Channels.Slack;
using PlatformBot.Storage;

namespace PlatformBot.Benchmarks;

/// <summary>
/// `floor`: the least a server can do for the Slack and Teams benchmarks, to put the issues' throughput targets beside
/// what this machine allows. A bare ASP.NET Core app on 127.0.0.1. <c>POST /slack/events</c> reads the body, checks the
/// signature with PlatformBot's own <see cref="SlackSignature"/>, parses the form and answers the ephemeral
/// acknowledgement. <c>POST /api/messages</c> parses the activity, posts a one-line text reply to the activity's
/// connector (<c>{serviceUrl}v3/conversations/{id}/activities/{replyToId}</c>) and answers 200 once it is accepted. No
/// router, no features, no cards, no logging, no outbox, no authentication. With <c>--store</c> each also inserts a
/// ticket-shaped document (the tickets collection's 8 indexes) through <see cref="GroupCommit"/> on
/// <see cref="PlatformDatabase"/> and answers (Teams: replies) only once that commit is on disk: the durable part of the
/// targets, and nothing else.
/// </summary>
internal static class Floor
{
    private static readonly string[] TicketIndexes = ["sweepAt", "requester", "breachAt", "state", "overdue", "assignee", "createdAt", "resolvedAt"];

    public static async Task<int> RunAsync(string[] args)
    {
        var port = args.SkipWhile(a => a != "--port").Skip(1).Select(int.Parse).DefaultIfEmpty(39250).First();
        var secret = args.SkipWhile(a => a != "--secret").Skip(1).DefaultIfEmpty("bench-signing-secret").First();
        var store = args.Contains("--store");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        using var database = store ? PlatformDatabase.Open(Path.Combine(BenchHost.TempFolder("floor"), "floor.db")) : null;
        await using var commits = database is null ? null : new GroupCommit(database);
        var tickets = database?.Database.GetCollection("tickets");
        foreach (var field in tickets is null ? [] : TicketIndexes)
        {
            tickets!.EnsureIndex(field, "$." + field);
        }

        var padding = new string('x', 1_300);
        long numbers = 0;
        var tolerance = TimeSpan.FromMinutes(5);

        app.MapGet("/healthz", () => Results.Ok());
        app.MapPost("/slack/events", async (HttpContext http) =>
        {
            using var memory = new MemoryStream();
            await http.Request.Body.CopyToAsync(memory);
            var body = memory.GetBuffer().AsSpan(0, (int)memory.Length).ToArray();
            if (!SlackSignature.IsValid(secret, http.Request.Headers["X-Slack-Request-Timestamp"], http.Request.Headers["X-Slack-Signature"], body, DateTimeOffset.UtcNow, tolerance))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            var number = Interlocked.Increment(ref numbers);
            if (commits is not null)
            {
                var requester = form["user_id"].ToString();
                var title = form["text"].ToString();
                await commits.WriteAsync(() => tickets!.Insert(TicketDocument(number, requester, title, padding)));
            }

            return Results.Json(new FloorAck("ephemeral", $"Filed PLAT-{number}"), FloorJson.Default.FloorAck);
        });

        using var connector = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        app.MapPost("/api/messages", async (HttpContext http) =>
        {
            using var activity = await JsonDocument.ParseAsync(http.Request.Body);
            var root = activity.RootElement;
            var serviceUrl = root.GetProperty("serviceUrl").GetString()!;
            var conversation = root.GetProperty("conversation").GetProperty("id").GetString()!;
            var id = root.GetProperty("id").GetString()!;
            var number = Interlocked.Increment(ref numbers);
            if (commits is not null)
            {
                var requester = root.GetProperty("from").GetProperty("id").GetString();
                var title = root.GetProperty("text").GetString();
                await commits.WriteAsync(() => tickets!.Insert(TicketDocument(number, requester, title, padding)));
            }

            var reply = new FloorReply("message", $"Filed PLAT-{number}", id, new FloorConversation(conversation));
            var url = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversation)}/activities/{Uri.EscapeDataString(id)}";
            using var response = await connector.PostAsJsonAsync(url, reply, FloorJson.Default.FloorReply);
            return response.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(StatusCodes.Status502BadGateway);
        });

        await app.StartAsync();
        Console.WriteLine($"floor listening on 127.0.0.1:{port} ({(store ? "durable ticket insert before the answer" : "no storage")}); Ctrl-C or SIGTERM stops it");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The ceiling benchmark's ticket-shaped document (1.5 KB), with the title typed.</summary>
    private static BsonDocument TicketDocument(long number, string? requester, string? title, string padding)
    {
        var document = LiteDbCeiling.TicketDocument($"PLAT-{number}", DateTime.UtcNow.Ticks, requester, padding);
        document["title"] = title;
        return document;
    }
}

internal sealed record FloorAck(string response_type, string text);

internal sealed record FloorConversation(string id);

internal sealed record FloorReply(string type, string text, string replyToId, FloorConversation conversation);

[System.Text.Json.Serialization.JsonSerializable(typeof(FloorAck))]
[System.Text.Json.Serialization.JsonSerializable(typeof(FloorReply))]
internal sealed partial class FloorJson : System.Text.Json.Serialization.JsonSerializerContext;
