using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>Signed requests to the real host on loopback, with Slack's Web API faked on loopback.</summary>
public sealed class SlackEndpointTests
{
    [Fact]
    public async Task NoSigningSecret_SlackEndpointsAreNotMapped()
    {
        await using var bot = await TestBot.StartAsync();

        var response = await bot.Http.PostAsync("/slack/events", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("other-secret", 0)]
    [InlineData(SlackTestBot.Secret, -301)]
    [InlineData(SlackTestBot.Secret, 301)]
    public async Task ForgedOrStaleOrFutureRequest_Is401WithoutDetail_AndNothingRuns(string secret, int skewSeconds)
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var timestamp = (bot.Time.GetUtcNow().ToUnixTimeSeconds() + skewSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var response = await SlackTestBot.PostSignedAsync(bot, "/slack/commands", SlackTestBot.CommandBody("/echo", "forged"), "application/x-www-form-urlencoded", timestamp, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await bot.DeliverOutboxAsync();
        Assert.DoesNotContain(slack.Calls, c => c.Method != "conversations.open"); // escalation's start-up check opens DMs
    }

    [Fact]
    public async Task BodyChangedAfterSigning_Is401()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var body = SlackTestBot.CommandBody("/echo", "hello");
        var timestamp = SlackTestBot.Now(bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent(body + "&text=evil", Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackTestBot.Sign(SlackTestBot.Secret, timestamp, body));

        var response = await bot.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Is413_EvenWhenSigned()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?> { ["Slack:MaxBodyBytes"] = "4096" });

        var response = await SlackTestBot.CommandAsync(bot, "/echo", new string('x', 5000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OversizedChunkedBody_WithoutContentLength_Is413()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?> { ["Slack:MaxBodyBytes"] = "4096" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new StreamContent(new MemoryStream(new byte[10_000])) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Slack-Request-Timestamp", SlackTestBot.Now(bot));
        request.Headers.Add("X-Slack-Signature", "v0=00");

        var response = await bot.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task UrlVerification_AnswersTheChallenge()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var response = await SlackTestBot.PostSignedAsync(bot, "/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"abc123\",\"token\":\"x\"}", "application/json");

        Assert.Equal("abc123", (string?)(await SlackTestBot.AckAsync(response))!["challenge"]);
    }

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/events")]
    [InlineData("/slack/interactivity")]
    public async Task SlashCommand_AtAnySlackEndpoint_IsAnsweredOnTheAcknowledgement(string path)
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.CommandAsync(bot, "/help", string.Empty, path: path));

        Assert.Equal("ephemeral", (string?)ack!["response_type"]);
        Assert.Contains("/echo", ack.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardCommand_IsPostedWithChatPostMessage_AndItsThreadRepliesBecomeComments()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.CommandAsync(bot, "/echo", "printer", channel: "C0OPS"));
        var post = (await slack.WaitForAsync("chat.postMessage")).Single();
        var ts = $"1700000000.{1:000000}";
        var cards = (PlatformBot.Conversations.ICardDirectory)bot.Services.GetService(typeof(PlatformBot.Conversations.ICardDirectory))!;
        await Eventually(() => cards.FindKey("slack", "C0OPS", ts) == "echo:printer");
        await SlackTestBot.EventAsync(bot, SlackTestBot.Message("toner is empty", "C0OPS", "1700000300.000001", user: "U0BOB", threadTs: ts), "Ev0COMMENT");

        Assert.Null(ack);
        Assert.Equal("C0OPS", (string?)post.Body["channel"]);
        Assert.Null(post.Body["thread_ts"]);
        var feature = bot.Services.GetService(typeof(TestFeature)) as TestFeature;
        await Eventually(() => feature!.Comments.Contains("echo:printer|U0BOB|toner is empty"));
    }

    [Fact]
    public async Task CommandSlowerThanTheBudget_IsAcknowledgedEmpty_AndItsAnswerFollows()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var feature = (TestFeature)bot.Services.GetService(typeof(TestFeature))!;
        feature.Hold = new TaskCompletionSource();

        var pending = SlackTestBot.CommandAsync(bot, "/echo", "slow one", channel: "C0SLOW");
        while (!pending.IsCompleted)
        {
            bot.Time.Advance(TimeSpan.FromMilliseconds(500)); // the inline budget runs on the injected clock
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var ack = await SlackTestBot.AckAsync(await pending);
        var postsBeforeTheWorkEnded = slack.CallsTo("chat.postMessage").Count();
        feature.Hold.SetResult();
        await Eventually(() =>
        {
            bot.DeliverOutboxAsync().GetAwaiter().GetResult(); // the dispatcher's own poll waits for the fake clock
            return slack.CallsTo("chat.postMessage").Any();
        });
        var post = slack.CallsTo("chat.postMessage").Single();

        Assert.Null(ack);
        Assert.Equal(0, postsBeforeTheWorkEnded);
        Assert.Equal("C0SLOW", (string?)post.Body["channel"]);
    }

    [Fact]
    public async Task RetriedEvent_IsHandledOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var mention = SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo once", channel: "C0RETRY");

        var first = await SlackTestBot.EventAsync(bot, mention, "Ev0RETRY");
        var second = await SlackTestBot.EventAsync(bot, mention, "Ev0RETRY", new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        var third = await SlackTestBot.EventAsync(bot, mention, "Ev0RETRY", new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "2", ["X-Slack-Retry-Reason"] = "http_error" });
        await slack.WaitForAsync("chat.postMessage");
        await bot.DeliverOutboxAsync();

        Assert.All([first, second, third], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task EventWithAnOverlongId_IsHandledOnce_AndDoesNotFailTheDeliveriesBesideIt()
    {
        // The delivery id is the inbox row's key, and LiteDB refuses keys over 1,023 bytes: one such row would fail its
        // whole batch (every delivery in it answered 500, retried by Slack, failing again).
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var longId = "Ev0" + new string('L', 1_500);

        var sent = new[]
        {
            SlackTestBot.EventAsync(bot, SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo long id", channel: "C0LONG"), longId),
            SlackTestBot.EventAsync(bot, SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo beside it", channel: "C0BESIDE"), "Ev0BESIDE"),
        };
        var responses = await Task.WhenAll(sent);
        var again = await SlackTestBot.EventAsync(bot, SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo long id", channel: "C0LONG"), longId, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        var posts = await slack.WaitForAsync("chat.postMessage", count: 2);
        await bot.DeliverOutboxAsync();

        Assert.All([.. responses, again], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["C0BESIDE", "C0LONG"], posts.Select(p => (string?)p.Body["channel"]).Order(StringComparer.Ordinal));
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count());
    }

    [Fact]
    public async Task MentionWithACommand_RunsTheCommand_AndTheCardGoesTopLevel()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        await SlackTestBot.EventAsync(bot, SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo disk full", channel: "C0OPS"), "Ev0MENTION");
        var post = (await slack.WaitForAsync("chat.postMessage")).Single();

        Assert.Equal("C0OPS", (string?)post.Body["channel"]);
        Assert.Contains("disk full", post.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionInASupportChannel_IsAnsweredInItsThread_WhileOtherChannelsAreIgnored()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        await SlackTestBot.EventAsync(bot, SlackTestBot.Message("how do I rotate my key?", "C0RANDOM", "1700000400.000001"), "Ev0OTHER");
        await SlackTestBot.EventAsync(bot, SlackTestBot.Message("how do I rotate my key?", "C0SUPPORT", "1700000400.000002"), "Ev0SUPPORT");
        await Eventually(() => slack.Calls.Any(c => (string?)c.Body["channel"] == "C0SUPPORT"));
        var answer = slack.Calls.Single(c => (string?)c.Body["channel"] == "C0SUPPORT");

        Assert.Contains(answer.Method, new[] { "chat.postMessage", "chat.postEphemeral" });
        Assert.Equal("1700000400.000002", (string?)answer.Body["thread_ts"]);
        Assert.DoesNotContain(slack.Calls, c => (string?)c.Body["channel"] == "C0RANDOM");
    }

    [Theory]
    [InlineData("bot_message", null, "U0ALICE")]
    [InlineData("message_changed", null, "U0ALICE")]
    [InlineData("channel_join", null, "U0ALICE")]
    [InlineData(null, "B0OTHER", "U0ALICE")]
    [InlineData(null, null, SlackTestBot.BotUser)]
    public async Task BotsEditsAndJoins_AreIgnored(string? subtype, string? botId, string user)
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var message = SlackTestBot.Message("help", "C0SUPPORT", "1700000500.000001", user: user);
        if (subtype is not null)
        {
            message["subtype"] = subtype;
        }

        if (botId is not null)
        {
            message["bot_id"] = botId;
        }

        var response = await SlackTestBot.EventAsync(bot, message, "Ev0IGNORED");
        await SlackTestBot.EventAsync(bot, SlackTestBot.Message("help", "C0SUPPORT", "1700000500.000002"), "Ev0MARKER");
        await slack.WaitForAsync("chat.postEphemeral");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(slack.CallsTo("chat.postEphemeral")); // only the marker was answered
    }

    [Fact]
    public async Task ButtonClick_UpdatesTheCardInPlace()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var response = await SlackTestBot.InteractionAsync(bot, SlackTestBot.BlockAction("echo.done", "printer", "1700000000.000042"));
        var update = (await slack.WaitForAsync("chat.update")).Single();

        Assert.Null(await SlackTestBot.AckAsync(response));
        Assert.Equal("1700000000.000042", (string?)update.Body["ts"]);
        Assert.Equal("C0OPS", (string?)update.Body["channel"]);
    }

    [Fact]
    public async Task ModalSubmissionWithInvalidFields_IsRefusedWithResponseActionErrors()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.InteractionAsync(bot, Submission("abc")));

        Assert.Equal("errors", (string?)ack!["response_action"]);
        Assert.Equal("Please write at least 5 characters.", (string?)ack["errors"]!["title"]);
    }

    [Fact]
    public async Task ValidModalSubmission_ClosesTheModal_AndAnswersWhereItWasOpened()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.InteractionAsync(bot, Submission("a long title")));
        var post = (await slack.WaitForAsync("chat.postMessage")).Single();

        Assert.Null(ack);
        Assert.Equal("C0FORM", (string?)post.Body["channel"]);
        Assert.Contains("Echoed a long title", post.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalShortcut_OpensTheModalWithItsTriggerId()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var shortcut = new JsonObject
        {
            ["type"] = "shortcut",
            ["callback_id"] = "echo.new",
            ["trigger_id"] = "trig.shortcut",
            ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice" },
        };

        await SlackTestBot.InteractionAsync(bot, shortcut);
        var open = (await slack.WaitForAsync("views.open")).Single();

        Assert.Equal("trig.shortcut", (string?)open.Body["trigger_id"]);
        Assert.Equal("echo.form", (string?)open.Body["view"]!["callback_id"]);
        Assert.Equal("title", (string?)open.Body["view"]!["blocks"]![0]!["block_id"]);
    }

    [Fact]
    public async Task AppHomeOpened_PublishesTheSections_AndSaysWhatIsNotSetUpYet()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, services: s => PlatformBot.Conversations.HomeSections.AddHomeSection<TestHomeSection>(s));

        await SlackTestBot.EventAsync(bot, new JsonObject { ["type"] = "app_home_opened", ["user"] = "U0ALICE", ["channel"] = "D0ALICE", ["tab"] = "home" }, "Ev0HOME");
        var publish = (await slack.WaitForAsync("views.publish")).Single();
        var view = publish.Body["view"]!.ToJsonString();

        Assert.Equal("U0ALICE", (string?)publish.Body["user_id"]);
        Assert.Equal("home", (string?)publish.Body["view"]!["type"]);
        Assert.Contains("T-1 for U0ALICE", view, StringComparison.Ordinal);
        Assert.Contains("Platform office hours", view, StringComparison.Ordinal); // the sample session in appsettings.json
        Assert.Contains("(America/Chicago)", view, StringComparison.Ordinal); // in the reader's zone from users.info
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(view, "Platform scorecard"));
        Assert.DoesNotContain("about to breach", view, StringComparison.OrdinalIgnoreCase); // agents only
    }

    [Fact]
    public async Task HomeWithoutAFeaturesSection_SaysNotSetUpYet()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var home = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<PlatformBot.Host.Channels.Slack.SlackHome>(
            bot.Services, (IEnumerable<PlatformBot.Conversations.IHomeSection>)[new TestHomeSection()]);

        var blocks = await home.BuildAsync(new PlatformBot.Conversations.UserRef("slack", "U0ADMIN"), TestContext.Current.CancellationToken);
        var text = string.Join('\n', blocks.Select(b => b.ToPlainText()));

        Assert.Contains("T-1 for U0ADMIN", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("Not set up yet.").Length - 1); // about to breach (an admin sees it), office hours, scorecard
    }

    [Fact]
    public async Task InjectedTitle_CannotPingOrLink()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        // what Slack sends when someone types the characters "<!channel> & <@U0CEO> <https://evil.example|docs>"
        await SlackTestBot.CommandAsync(bot, "/echo", "&lt;!channel&gt; &amp; &lt;@U0CEO&gt; &lt;https://evil.example|docs&gt;", channel: "C0OPS");
        var post = Texts((await slack.WaitForAsync("chat.postMessage")).Single().Body);

        Assert.DoesNotContain("<!channel>", post, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U0CEO>", post, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://evil", post, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;@U0CEO&gt; &lt;https://evil.example|docs&gt;", post, StringComparison.Ordinal);
        Assert.Contains("<@U0ALICE>", post, StringComparison.Ordinal); // our own mention of the requester still pings
    }

    /// <summary>Every string a person can see in a JSON document (not buttons' values), one per line.</summary>
    internal static string Texts(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Where(p => p.Key != "value").Select(p => Texts(p.Value))),
        JsonArray a => string.Join('\n', a.Select(Texts)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => string.Empty,
    };

    private static JsonObject Submission(string title) => new()
    {
        ["type"] = "view_submission",
        ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice" },
        ["trigger_id"] = "trig." + Guid.NewGuid().ToString("N"),
        ["view"] = new JsonObject
        {
            ["id"] = "V0FORM",
            ["callback_id"] = "echo.form",
            ["private_metadata"] = "{\"c\":\"C0FORM\",\"s\":\"state-1\"}",
            ["state"] = new JsonObject { ["values"] = new JsonObject { ["title"] = new JsonObject { ["title"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = title } } } },
        },
    };

    internal static async Task Eventually(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "The condition did not become true in time.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
