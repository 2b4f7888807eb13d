using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>Socket Mode against a fake Slack WebSocket server on loopback.</summary>
public sealed class SlackSocketModeTests
{
    private static readonly Dictionary<string, string?> SocketSettings = new()
    {
        ["Slack:SigningSecret"] = string.Empty,
        ["Slack:AppToken"] = "xapp-test",
        ["Slack:SocketConnections"] = "2",
    };

    [Fact]
    public async Task AppToken_OpensSeveralConnections_WithoutAnyHttpEndpoint()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);

        await slack.WaitForSocketsAsync(2);
        var http = await bot.Http.PostAsync("/slack/events", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.All(slack.CallsTo("apps.connections.open"), c => Assert.Equal("Bearer xapp-test", c.Authorization));
        Assert.Equal(HttpStatusCode.NotFound, http.StatusCode);
    }

    [Fact]
    public async Task SlashCommandEnvelope_IsAcknowledgedWithTheAnswer()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);
        await slack.WaitForSocketsAsync(2);

        var ack = await slack.PushAsync(slack.Sockets.First(), new JsonObject
        {
            ["envelope_id"] = "env-cmd-1",
            ["type"] = "slash_commands",
            ["accepts_response_payload"] = true,
            ["payload"] = new JsonObject { ["command"] = "/help", ["text"] = "", ["user_id"] = "U0ALICE", ["channel_id"] = "C0OPS", ["trigger_id"] = "trig.sock.1", ["response_url"] = slack.ResponseUrl("r1").ToString() },
        });

        Assert.Equal("env-cmd-1", (string?)ack["envelope_id"]);
        Assert.Equal("ephemeral", (string?)ack["payload"]!["response_type"]);
    }

    [Fact]
    public async Task SameEventInTwoEnvelopes_IsAcknowledgedTwice_AndHandledOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);
        await slack.WaitForSocketsAsync(2);
        JsonObject Envelope(string id, int attempt) => new()
        {
            ["envelope_id"] = id,
            ["type"] = "events_api",
            ["accepts_response_payload"] = false,
            ["retry_attempt"] = attempt,
            ["retry_reason"] = attempt == 0 ? null : "timeout",
            ["payload"] = JsonNode.Parse(SlackTestBot.EventBody(SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo socket", channel: "C0SOCK"), "Ev0SOCKET")),
        };

        var first = await slack.PushAsync(slack.Sockets.First(), Envelope("env-ev-1", 0));
        var second = await slack.PushAsync(slack.Sockets.Last(), Envelope("env-ev-2", 1));
        await slack.WaitForAsync("chat.postMessage");
        await bot.DeliverOutboxAsync();

        Assert.Equal("env-ev-1", (string?)first["envelope_id"]);
        Assert.Equal("env-ev-2", (string?)second["envelope_id"]);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task RefreshRequested_OpensAReplacementAtOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);
        await slack.WaitForSocketsAsync(2);

        await FakeSlack.SendAsync(slack.Sockets.First(), new JsonObject { ["type"] = "disconnect", ["reason"] = "refresh_requested" });
        await slack.WaitForSocketsAsync(3);

        Assert.Equal(3, slack.CallsTo("apps.connections.open").Count());
    }

    [Fact]
    public async Task WorkInFlightWhenSlackSaysDisconnect_IsAcknowledgedOnTheOldConnection_WhileTheReplacementOpens()
    {
        // Slack's "warning" and "refresh_requested" leave the old socket working for a while: an envelope it delivered must
        // still be acknowledged there, or Slack shows the user a timeout and they file the ticket again.
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);
        await slack.WaitForSocketsAsync(2);
        var feature = bot.Services.GetRequiredService<TestFeature>();
        feature.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var socket = slack.Sockets.First();

        var ack = slack.PushAsync(socket, new JsonObject
        {
            ["envelope_id"] = "env-held-1",
            ["type"] = "slash_commands",
            ["accepts_response_payload"] = true,
            ["payload"] = new JsonObject { ["command"] = "/echo", ["text"] = "held", ["user_id"] = "U0ALICE", ["channel_id"] = "C0OPS", ["trigger_id"] = "trig.sock.held", ["response_url"] = slack.ResponseUrl("r-held").ToString() },
        });
        await SlackEndpointTests.Eventually(() => feature.EchoStarts == 1);
        await FakeSlack.SendAsync(socket, new JsonObject { ["type"] = "disconnect", ["reason"] = "warning" });
        await slack.WaitForSocketsAsync(3);
        feature.Hold.SetResult();

        Assert.Equal("env-held-1", (string?)(await ack)["envelope_id"]);
    }

    [Fact]
    public async Task DroppedConnection_ReconnectsAfterBackoff()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: SocketSettings);
        await slack.WaitForSocketsAsync(2);

        slack.Sockets.First().Abort();
        var deadline = Environment.TickCount64 + 10_000;
        while (slack.SocketsOpened < 3 && Environment.TickCount64 < deadline)
        {
            bot.Time.Advance(TimeSpan.FromSeconds(1)); // the backoff runs on the injected clock
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, slack.SocketsOpened);
    }

    [Fact]
    public async Task FailingConnectionsOpen_IsRetriedWithBackoff()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Script("apps.connections.open", 200, "{\"ok\":false,\"error\":\"internal_error\"}");
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?>(SocketSettings) { ["Slack:SocketConnections"] = "1" });

        var deadline = Environment.TickCount64 + 10_000;
        while (slack.SocketsOpened < 1 && Environment.TickCount64 < deadline)
        {
            bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, slack.SocketsOpened);
        Assert.Equal(2, slack.CallsTo("apps.connections.open").Count());
    }
}
