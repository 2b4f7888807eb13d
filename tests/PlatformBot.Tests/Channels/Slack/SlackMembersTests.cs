using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Tests.Features.Surveys;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>A Slack channel's members for a survey's Channels audience: conversations.members pages, users.info, refusals.</summary>
public sealed class SlackMembersTests
{
    private static readonly string[] Team = ["U0ALICE", "U0BOB", "U0BUILDBOT", "USLACKBOT", "U0GONE", "U0CAROL"];

    [Fact]
    public async Task SeveralPages_ListEveryHumanOnce_WithoutBotsOrDeactivatedAccounts()
    {
        await using var slack = await TeamChannelAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var members = await MembersOf(bot).MembersAsync("C0TEAM", TestContext.Current.CancellationToken);

        Assert.Equal(["U0ALICE", "U0BOB", "U0CAROL"], members.Select(m => m.Id));
        Assert.Equal("Alice Example", members[0].DisplayName);
        Assert.Equal("Europe/Berlin", members[0].TimeZone);
        var pages = slack.CallsTo("conversations.members").ToList();
        Assert.Equal([null, "page:2", "page:3"], pages.Select(c => (string?)c.Body["cursor"]));
        Assert.All(pages, c => Assert.InRange(int.Parse((string)c.Body["limit"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 1000));
    }

    [Fact]
    public async Task UsersInfo_IsAskedOncePerPerson_UntilTheCacheExpires()
    {
        await using var slack = await TeamChannelAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: new Dictionary<string, string?> { ["Slack:UserCacheDuration"] = "00:10:00" });
        var members = MembersOf(bot);

        await members.MembersAsync("C0TEAM", TestContext.Current.CancellationToken);
        await members.MembersAsync("C0TEAM", TestContext.Current.CancellationToken);
        var cached = slack.CallsTo("users.info").Count();
        bot.Time.Advance(TimeSpan.FromMinutes(11));
        await members.MembersAsync("C0TEAM", TestContext.Current.CancellationToken);

        Assert.Equal(5, cached); // six members, Slackbot never asked about
        Assert.Equal(10, slack.CallsTo("users.info").Count());
    }

    [Fact]
    public async Task RateLimitedPage_IsAskedAgainOnlyAfterRetryAfter()
    {
        await using var slack = await TeamChannelAsync();
        slack.ThrottleCursorOnce = "page:2";
        slack.ThrottleSeconds = 30;
        await using var bot = await SlackTestBot.StartAsync(slack);

        var listing = MembersOf(bot).MembersAsync("C0TEAM", TestContext.Current.CancellationToken);
        await slack.WaitForAsync("conversations.members", 2);
        bot.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200, TestContext.Current.CancellationToken); // real time for a wrongly eager retry to show up
        var beforeRetryAfter = slack.CallsTo("conversations.members").Count();
        var waited = await AdvanceUntilAsync(bot, listing);

        Assert.Equal(2, beforeRetryAfter);
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"retried {TimeSpan.FromSeconds(29) + waited} after the 429, not after its Retry-After of 30 s");
        Assert.Equal(["U0ALICE", "U0BOB", "U0CAROL"], (await listing).Select(m => m.Id));
        Assert.Equal([null, "page:2", "page:2", "page:3"], slack.CallsTo("conversations.members").Select(c => (string?)c.Body["cursor"]));
    }

    [Fact]
    public async Task BotNotInChannel_IsReportedInTheRunAndItsResults_AndNobodyIsAsked()
    {
        await using var slack = await TeamChannelAsync();
        slack.Script("conversations.members", 200, """{"ok":false,"error":"not_in_channel"}""");
        await using var bot = await SlackTestBot.StartAsync(slack, settings: ChannelSurvey("slack:C0TEAM"));

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.CommandAsync(bot, "/survey", "send dx", user: "U0ADMIN"));
        var results = await SlackTestBot.AckAsync(await SlackTestBot.CommandAsync(bot, "/survey", "results dx", user: "U0ADMIN"));
        var run = SurveyChatTests.Store(bot).LatestRun("dx")!;

        Assert.Contains("cannot be listed: the bot is not a member of C0TEAM", ack!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("cannot be listed: the bot is not a member of C0TEAM", results!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, run.Recipients);
        Assert.Empty(slack.CallsTo("conversations.open"));
    }

    [Fact]
    public async Task ChannelAudience_SendsExactlyOneDirectMessagePerHumanMember()
    {
        await using var slack = await TeamChannelAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, settings: ChannelSurvey("slack:C0TEAM"));

        var ack = await SlackTestBot.AckAsync(await SlackTestBot.CommandAsync(bot, "/survey", "send dx", user: "U0ADMIN"));
        await bot.DeliverOutboxAsync();
        await slack.WaitForAsync("chat.postMessage", 3);
        await bot.DeliverOutboxAsync();

        Assert.Contains("3 of 3 people asked", ack!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["U0ALICE", "U0BOB", "U0CAROL"], slack.CallsTo("conversations.open").Select(c => (string?)c.Body["users"]).Order(StringComparer.Ordinal));
        Assert.Equal(["DU0ALICE", "DU0BOB", "DU0CAROL"], slack.CallsTo("chat.postMessage").Select(c => (string?)c.Body["channel"]).Order(StringComparer.Ordinal));
    }

    internal static IConversationMembers MembersOf(TestBot bot) =>
        bot.Services.GetServices<IConversationMembers>().Single(m => m.Channel == PlatformBot.Conversations.Channels.Slack);

    /// <summary>A survey asking the members of <paramref name="channel"/>, with quiet hours off so every prompt goes now.</summary>
    internal static IDictionary<string, string?> ChannelSurvey(string channel) =>
        new SurveySettings().Survey("dx", [], ("nps", "How likely are you to recommend the platform?"))
            .For("dx", "Audience:Channels:0", channel)
            .Set("Surveys:QuietHours:Enabled", "false")
            .ToDictionary();

    /// <summary>Advances the fake clock a second at a time until the listing is done; returns how far it went.</summary>
    private static async Task<TimeSpan> AdvanceUntilAsync(TestBot bot, Task listing)
    {
        var advanced = TimeSpan.Zero;
        for (var i = 0; i < 200 && !listing.IsCompleted; i++)
        {
            bot.Time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            await Task.WhenAny(listing, Task.Delay(20, TestContext.Current.CancellationToken)); // real time for the retry to run
        }

        return advanced;
    }

    private static async Task<FakeSlack> TeamChannelAsync()
    {
        var slack = await FakeSlack.StartAsync();
        slack.ChannelMembers["C0TEAM"] = Team;
        slack.MembersPageSize = 2;
        slack.Users["U0ALICE"] = new JsonObject { ["real_name"] = "Alice Example", ["tz"] = "Europe/Berlin" };
        slack.Users["U0BUILDBOT"] = new JsonObject { ["is_bot"] = true };
        slack.Users["U0GONE"] = new JsonObject { ["deleted"] = true };
        return slack;
    }
}
