using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>Starts the real host with Slack configured against a <see cref="FakeSlack"/>, and sends it signed requests.</summary>
public static class SlackTestBot
{
    public const string Secret = "test-signing-secret";
    public const string BotUser = "U0BOT";

    public static Task<TestBot> StartAsync(
        FakeSlack slack,
        string? dataDirectory = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        FakeTimeProvider? time = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Secret,
            ["Slack:BotToken"] = "xoxb-test",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:SupportChannels:0"] = "C0SUPPORT",
            ["Outbox:RatePerSecond:slack"] = "1000",
            ["Outbox:TotalRatePerSecond:slack"] = "1000",
            ["Team:Admins:0"] = "U0ADMIN",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return TestBot.StartAsync(dataDirectory, time, all, s =>
        {
            s.AddSingleton<TestFeature>();
            s.AddCommand<EchoCommand>("echo", "Echo what you typed as a card", "`/echo <title>`");
            s.AddInteraction<EchoInteractions>("echo.");
            s.AddMessageHandler<EchoThreadReplies>("echo:");
            services?.Invoke(s);
        });
    }

    public static string Now(TestBot bot) => bot.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<HttpResponseMessage> PostSignedAsync(
        TestBot bot,
        string path,
        string body,
        string contentType,
        string? timestamp = null,
        string secret = Secret,
        IDictionary<string, string>? headers = null)
    {
        timestamp ??= Now(bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Sign(secret, timestamp, body));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await bot.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public static string CommandBody(string command, string text, string user = "U0ALICE", string channel = "C0SUPPORT", Uri? responseUrl = null, string? trigger = null) =>
        new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "deprecated",
            ["team_id"] = "T0TEAM",
            ["channel_id"] = channel,
            ["channel_name"] = channel.StartsWith('D') ? "directmessage" : "support",
            ["user_id"] = user,
            ["user_name"] = user.ToLowerInvariant(),
            ["command"] = command,
            ["text"] = text,
            ["response_url"] = (responseUrl ?? new Uri("http://127.0.0.1:9/unused")).ToString(),
            ["trigger_id"] = trigger ?? "trig." + Guid.NewGuid().ToString("N"),
        }).ReadAsStringAsync().Result;

    public static Task<HttpResponseMessage> CommandAsync(TestBot bot, string command, string text, string user = "U0ALICE", string channel = "C0SUPPORT", Uri? responseUrl = null, string path = "/slack/commands") =>
        PostSignedAsync(bot, path, CommandBody(command, text, user, channel, responseUrl), "application/x-www-form-urlencoded");

    public static string EventBody(JsonObject ev, string eventId) => new JsonObject
    {
        ["token"] = "deprecated",
        ["team_id"] = "T0TEAM",
        ["api_app_id"] = "A0APP",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000000,
        ["event"] = ev.DeepClone(),
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = "T0TEAM", ["user_id"] = BotUser, ["is_bot"] = true }),
    }.ToJsonString();

    public static Task<HttpResponseMessage> EventAsync(TestBot bot, JsonObject ev, string eventId, IDictionary<string, string>? headers = null) =>
        PostSignedAsync(bot, "/slack/events", EventBody(ev, eventId), "application/json", headers: headers);

    public static JsonObject Mention(string text, string user = "U0ALICE", string channel = "C0OPS", string ts = "1700000100.000100", string? threadTs = null)
    {
        var ev = new JsonObject { ["type"] = "app_mention", ["user"] = user, ["text"] = text, ["ts"] = ts, ["channel"] = channel, ["event_ts"] = ts };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return ev;
    }

    public static JsonObject Message(string text, string channel, string ts, string user = "U0ALICE", string? threadTs = null, string channelType = "channel")
    {
        var ev = new JsonObject { ["type"] = "message", ["user"] = user, ["text"] = text, ["ts"] = ts, ["channel"] = channel, ["channel_type"] = channelType, ["event_ts"] = ts };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return ev;
    }

    public static Task<HttpResponseMessage> InteractionAsync(TestBot bot, JsonObject payload, string path = "/slack/interactivity") =>
        PostSignedAsync(bot, path, "payload=" + Uri.EscapeDataString(payload.ToJsonString()), "application/x-www-form-urlencoded");

    public static JsonObject BlockAction(string actionId, string value, string messageTs, string channel = "C0OPS", Uri? responseUrl = null, string user = "U0ALICE") => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant() },
        ["trigger_id"] = "trig." + Guid.NewGuid().ToString("N"),
        ["channel"] = new JsonObject { ["id"] = channel },
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
        ["message"] = new JsonObject { ["ts"] = messageTs, ["text"] = "card" },
        ["response_url"] = (responseUrl ?? new Uri("http://127.0.0.1:9/unused")).ToString(),
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["value"] = value, ["action_ts"] = "1700000200.1" }),
    };

    public static async Task<JsonObject?> AckAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }
}

/// <summary>What the test commands saw, shared by a bot and its restart.</summary>
public sealed class TestFeature
{
    public ConcurrentQueue<string> Comments { get; } = new();

    public ConcurrentQueue<IncomingInteraction> Interactions { get; } = new();

    /// <summary>While set, <c>/echo</c> waits for it (work that outlives the process).</summary>
    public TaskCompletionSource? Hold { get; set; }

    private int _filed;
    private int _echoStarts;

    /// <summary>How many times <c>/echo</c>'s handler started.</summary>
    public int EchoStarts => Volatile.Read(ref _echoStarts);

    public int NextFiled() => Interlocked.Increment(ref _filed);

    public void EchoStarted() => Interlocked.Increment(ref _echoStarts);
}

/// <summary><c>/echo title</c>: a card (key <c>echo:{title}</c>) for everyone, with a button and a form button.</summary>
internal sealed class EchoCommand(TestFeature feature) : ICommandHandler
{
    public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        feature.EchoStarted();
        if (feature.Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (command.Text == "form")
        {
            return Reply.OpenForm(EchoInteractions.Form);
        }

        return new Reply
        {
            CardKey = "echo:" + command.Text,
            Blocks =
            [
                new HeaderBlock(Md.Text($"{command.Text}")),
                new SectionBlock(Md.Text($"*Title:* {command.Text}"), [new Field("Asked by", Md.Text($"{Md.Mention(command.User)}"))]),
                new ActionsBlock([new Button("echo.done", "Done", command.Text, ButtonStyle.Primary)]),
            ],
        };
    }
}

/// <summary>Buttons and the form of <c>/echo</c>.</summary>
internal sealed class EchoInteractions(TestFeature feature) : IInteractionHandler
{
    public static readonly Form Form = new("echo.form", "New echo", [new FormField("title", "Title") { Required = true }]) { State = "state-1" };

    public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        feature.Interactions.Enqueue(interaction);
        if (interaction.ActionId == "echo.new")
        {
            return Task.FromResult(Reply.OpenForm(Form));
        }

        if (interaction.IsFormSubmission)
        {
            var title = interaction.Values.GetValueOrDefault("title") ?? string.Empty;
            if (title.Length < 5)
            {
                return Task.FromResult(Reply.OpenForm(Form.WithErrors(new Dictionary<string, string> { ["title"] = "Please write at least 5 characters." }, interaction.Values)));
            }

            return Task.FromResult(Reply.Text(Md.Text($"Echoed {title}")));
        }

        return Task.FromResult(new Reply { ReplacesSource = true, CardKey = "echo:" + interaction.Value, Blocks = [new TextBlock(Md.Text($"~done~ {interaction.Value}"))] });
    }
}

/// <summary>Replies in an echo card's thread become its comments.</summary>
internal sealed class EchoThreadReplies(TestFeature feature) : IMessageHandler
{
    public Task<Reply?> HandleAsync(IncomingMessage message, string? cardKey, CancellationToken cancellationToken)
    {
        feature.Comments.Enqueue($"{cardKey}|{message.User.Id}|{message.Text}");
        return Task.FromResult<Reply?>(null);
    }
}

internal sealed class TestHomeSection : IHomeSection
{
    public string Key => HomeSections.MyTickets;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Block>>([new HeaderBlock(Md.Text($"Your open tickets")), new TextBlock(Md.Text($"T-1 for {viewer.Id}"))]);
}
