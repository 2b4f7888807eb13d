using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>The Web API client as the outbox uses it: what is transient comes back later, what is not becomes a dead letter.</summary>
public sealed class SlackWebApiTests
{
    private static readonly ConversationAddress Ops = new(PlatformBot.Conversations.Channels.Slack, "C0OPS");

    [Fact]
    public async Task TooManyRequests_WaitsForRetryAfter_ForThatMethod_ThenDeliversEachMessageOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", retryAfterSeconds: 30);

        Enqueue(bot, "first");
        await bot.DeliverOutboxAsync();
        Enqueue(bot, "second");
        await bot.DeliverOutboxAsync();
        var callsWhileBlocked = slack.CallsTo("chat.postMessage").Count();
        bot.Time.Advance(TimeSpan.FromSeconds(31));
        await bot.DeliverOutboxAsync();

        Assert.Equal(1, callsWhileBlocked); // the second message did not even try while Slack said wait
        var outbox = bot.Services.GetRequiredService<LiteDbOutbox>();
        Assert.Equal(OutboxStatus.Delivered, outbox.Get("test:first")!.Status);
        Assert.Equal(OutboxStatus.Delivered, outbox.Get("test:second")!.Status);
        Assert.Equal(3, slack.CallsTo("chat.postMessage").Count());
    }

    [Fact]
    public async Task TooManyRequests_InOneChannel_DoesNotHoldBackPostsToOthers()
    {
        // Slack limits chat.postMessage per channel: one busy channel must not delay a page to the on-call's DM.
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", retryAfterSeconds: 30);

        Enqueue(bot, "busy");
        await bot.DeliverOutboxAsync();
        bot.Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage("test:elsewhere", new ToConversation(new ConversationAddress(PlatformBot.Conversations.Channels.Slack, "D0ONCALL")), Reply.Text(Md.Text($"Page: PLAT-7 breached"))));
        await bot.DeliverOutboxAsync();

        var outbox = bot.Services.GetRequiredService<LiteDbOutbox>();
        Assert.Equal(OutboxStatus.Pending, outbox.Get("test:busy")!.Status);
        Assert.Equal(OutboxStatus.Delivered, outbox.Get("test:elsewhere")!.Status);
        Assert.Equal(["C0OPS", "D0ONCALL"], slack.CallsTo("chat.postMessage").Select(c => (string?)c.Body["channel"]));
    }

    [Fact]
    public async Task ServerError_IsRetriedByTheOutbox_AndThenPostedOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 503, "upstream trouble");

        Enqueue(bot, "flaky");
        await bot.DeliverOutboxAsync();
        var afterFailure = bot.Services.GetRequiredService<LiteDbOutbox>().Get("test:flaky")!;
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.DeliverOutboxAsync();

        Assert.Equal(OutboxStatus.Pending, afterFailure.Status);
        Assert.Contains("503", afterFailure.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Delivered, bot.Services.GetRequiredService<LiteDbOutbox>().Get("test:flaky")!.Status);
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count());
    }

    [Fact]
    public async Task NotOk_IsADeadLetterNamingSlacksError()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 200, "{\"ok\":false,\"error\":\"channel_not_found\"}");

        Enqueue(bot, "lost");
        await bot.DeliverOutboxAsync();

        var row = bot.Services.GetRequiredService<LiteDbOutbox>().Get("test:lost")!;
        Assert.Equal(OutboxStatus.DeadLetter, row.Status);
        Assert.Equal("Slack chat.postMessage: channel_not_found", row.LastError);
    }

    [Fact]
    public async Task RefusedConnection_IsTransient()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?> { ["Slack:ApiBaseUrl"] = "http://127.0.0.1:1/api/" });

        Enqueue(bot, "unreachable");
        await bot.DeliverOutboxAsync();

        var row = bot.Services.GetRequiredService<LiteDbOutbox>().Get("test:unreachable")!;
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("could not be reached", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_IsTransient()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?> { ["Slack:ApiTimeout"] = "00:00:01" });
        slack.Script("chat.postMessage", 200, delay: TimeSpan.FromSeconds(5));

        Enqueue(bot, "slow");
        await bot.DeliverOutboxAsync();

        var row = bot.Services.GetRequiredService<LiteDbOutbox>().Get("test:slow")!;
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("timed out", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectMessage_OpensTheConversationFirst_AndCardsAreUpdatedInPlace()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var outbox = bot.Services.GetRequiredService<IOutbox>();
        var card = new Reply { CardKey = "echo:card", Blocks = [new TextBlock(Md.Text($"v1"))] };

        outbox.Enqueue(new OutboundMessage("test:dm", new ToUser(new UserRef(PlatformBot.Conversations.Channels.Slack, "U0BOB")), card));
        await bot.DeliverOutboxAsync();
        outbox.Enqueue(new OutboundMessage("test:update", new UpdateCard("echo:card"), card with { Blocks = [new TextBlock(Md.Text($"v2"))] }));
        await bot.DeliverOutboxAsync();
        outbox.Enqueue(new OutboundMessage("test:thread", new ToCardThread("echo:card"), Reply.Text(Md.Text($"a comment"))));
        await bot.DeliverOutboxAsync();

        Assert.Single(slack.CallsTo("conversations.open"), c => (string?)c.Body["users"] == "U0BOB");
        var posts = slack.CallsTo("chat.postMessage").ToList();
        var update = slack.CallsTo("chat.update").Single();
        Assert.Equal("D" + "U0BOB", (string?)posts[0].Body["channel"]);
        Assert.Equal("1700000000.000001", (string?)update.Body["ts"]);
        Assert.Contains("v2", SlackEndpointTests.Texts(update.Body), StringComparison.Ordinal);
        Assert.Equal("1700000000.000001", (string?)posts[1].Body["thread_ts"]);
        Assert.Equal("Bearer xoxb-test", posts[0].Authorization);
    }

    [Fact]
    public async Task AnswerPostedDirectly_IsNotPostedAgainByTheOutbox()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        await SlackTestBot.CommandAsync(bot, "/echo", "direct", channel: "C0DIRECT");
        await slack.WaitForAsync("chat.postMessage");
        var cards = bot.Services.GetRequiredService<ICardDirectory>();
        await SlackEndpointTests.Eventually(() => cards.Find("echo:direct").Count == 1);
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.DeliverOutboxAsync();

        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task FailedDirectPost_IsDeliveredByTheOutboxAfterItsGrace()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 503, "down");

        await SlackTestBot.CommandAsync(bot, "/echo", "fallback", channel: "C0FALLBACK");
        await slack.WaitForAsync("chat.postMessage");
        await bot.DeliverOutboxAsync();
        var beforeGrace = slack.CallsTo("chat.postMessage").Count();
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.DeliverOutboxAsync();

        Assert.Equal(1, beforeGrace);
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count());
        Assert.Single(bot.Services.GetRequiredService<ICardDirectory>().Find("echo:fallback"));
    }

    private static void Enqueue(TestBot bot, string key) =>
        bot.Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage("test:" + key, new ToConversation(Ops), Reply.Text(Md.Text($"{key}"))));
}
