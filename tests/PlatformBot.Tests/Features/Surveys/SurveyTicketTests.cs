using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Events;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>Surveys and Tickets together in the dev chat, joined only by the Tickets feature's domain events.</summary>
public sealed class SurveyTicketTests
{
    [Fact]
    public async Task ResolvedTicket_RequesterGetsACsatAnHourLater_AndTheAnswerCounts()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket VPN drops every hour");
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 restarted the gateway");
        await Events(bot);
        await SurveyChatTests.Sweep(bot);
        await bot.DeliverOutboxAsync();
        var before = await Prompts(bot, "alice");

        bot.Time.Advance(TimeSpan.FromHours(1));
        await SurveyChatTests.Sweep(bot);
        await bot.DeliverOutboxAsync();
        var prompt = Assert.Single(await Prompts(bot, "alice"));
        await SurveyChatTests.PressAsync(bot, "alice", prompt, "4");
        var results = SurveyChatTests.Text(await bot.SayAsync("priya", "/survey results after-resolution"));

        Assert.Empty(before);
        Assert.Contains("PLAT-1 (VPN drops every hour) was resolved", (string?)prompt["text"], StringComparison.Ordinal);
        Assert.Contains("Post-resolution CSAT, last 30 days: 4.0 / 5 from 1 answers", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketResolvedTwice_AsksOnce()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket VPN drops every hour");
        await bot.SayAsync("dana", "/ticket resolve PLAT-1");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromHours(2));
        await SurveyChatTests.Sweep(bot);
        await bot.SayAsync("alice", "/ticket reopen PLAT-1");
        await bot.SayAsync("dana", "/ticket resolve PLAT-1");
        await Events(bot);

        bot.Time.Advance(TimeSpan.FromHours(2));
        await SurveyChatTests.Sweep(bot);
        await bot.DeliverOutboxAsync();

        Assert.Single(await Prompts(bot, "alice"));
    }

    [Fact]
    public async Task ReopenedBeforeTheCsat_NoCsatUntilItIsResolvedAgain()
    {
        await using var bot = await ResolvedAndReopenedTenMinutesLaterAsync();
        bot.Time.Advance(TimeSpan.FromHours(1));
        await SweepAndDeliverAsync(bot);
        var whileOpen = await Prompts(bot, "alice");

        await bot.SayAsync("dana", "/ticket resolve PLAT-1 replaced the gateway");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromHours(1));
        await SweepAndDeliverAsync(bot);

        Assert.Empty(whileOpen);
        Assert.Single(await Prompts(bot, "alice"));
    }

    [Fact]
    public async Task ResolvedAgainSoonAfterAReopen_CsatComesTheDelayAfterTheLastResolution()
    {
        await using var bot = await ResolvedAndReopenedTenMinutesLaterAsync();
        bot.Time.Advance(TimeSpan.FromMinutes(20));
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 replaced the gateway");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromMinutes(30));
        await SweepAndDeliverAsync(bot);
        var anHourAfterTheFirst = await Prompts(bot, "alice");

        bot.Time.Advance(TimeSpan.FromMinutes(30));
        await SweepAndDeliverAsync(bot);

        Assert.Empty(anHourAfterTheFirst);
        Assert.Single(await Prompts(bot, "alice"));
    }

    [Fact]
    public async Task RecentRequesters_AreThePeopleWhoFiledWithinTheSpan()
    {
        var settings = new SurveySettings().Survey("support", [], ("csat", "How is support?")).For("support", "Audience:RecentRequesters", "7.00:00:00");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await bot.SayAsync("carol", "/ticket Old printer problem");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromDays(8));
        await bot.SayAsync("alice", "/ticket VPN drops every hour");
        await bot.SayAsync("bob", "/ticket Need a database");
        await Events(bot);

        var sent = SurveyChatTests.Text(await bot.SayAsync("priya", "/survey send support", "dm:priya"));
        await bot.DeliverOutboxAsync();

        Assert.Contains("2 of 2 people asked", sent, StringComparison.Ordinal);
        Assert.Single(await Prompts(bot, "bob"));
        Assert.Empty(await Prompts(bot, "carol"));
    }

    [Fact]
    public async Task RecentRequesters_CountAPersonsLatestFiling_NotTheFirst()
    {
        var settings = new SurveySettings().Survey("support", [], ("csat", "How is support?")).For("support", "Audience:RecentRequesters", "7.00:00:00");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await bot.SayAsync("carol", "/ticket Old printer problem");
        await bot.SayAsync("carol", "/ticket Printer again"); // seconds later: kept to the minute, not written again
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromDays(2));
        await bot.SayAsync("carol", "/ticket Printer jams");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromDays(6)); // 8 days after her first, 6 after her latest

        var sent = SurveyChatTests.Text(await bot.SayAsync("priya", "/survey send support", "dm:priya"));
        await bot.DeliverOutboxAsync();

        Assert.Contains("1 of 1 people asked", sent, StringComparison.Ordinal);
        Assert.Single(await Prompts(bot, "carol"));
    }

    /// <summary>PLAT-1 filed by alice, resolved by dana, and reopened by alice ten minutes later (the CSAT is due in an hour).</summary>
    private static async Task<TestBot> ResolvedAndReopenedTenMinutesLaterAsync()
    {
        var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket VPN drops every hour");
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 restarted the gateway");
        await Events(bot);
        bot.Time.Advance(TimeSpan.FromMinutes(10));
        await bot.SayAsync("alice", "/ticket reopen PLAT-1");
        await Events(bot);
        return bot;
    }

    private static async Task SweepAndDeliverAsync(TestBot bot)
    {
        await SurveyChatTests.Sweep(bot);
        await bot.DeliverOutboxAsync();
    }

    private static Task<int> Events(TestBot bot) =>
        bot.Services.GetRequiredService<DomainEventBus>().DispatchPendingAsync(TestContext.Current.CancellationToken);

    private static async Task<List<System.Text.Json.Nodes.JsonNode>> Prompts(TestBot bot, string user) =>
        [.. (await bot.ConversationAsync("dm:" + user, user)).Where(m => ((string?)m!["cardKey"])?.StartsWith(SurveysFeature.CardKeyPrefix, StringComparison.Ordinal) == true).Select(m => m!)];
}
