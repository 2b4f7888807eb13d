using System.Text.RegularExpressions;
using PlatformBot.Conversations;
using PlatformBot.Features.Insights;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Features.Surveys;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Insights;

public sealed partial class ScorecardTests
{
    [Fact]
    public async Task Dashboard_ShowsSlaAttainmentAndTimeToResolve_FromRealTickets()
    {
        await using var bot = await TestBot.StartAsync();
        var card = (await bot.SayAsync("alice", "/ticket VPN drops every hour <script>alert(1)</script>")).First()!;
        var id = TicketId().Match((string)card["text"]!).Value;
        bot.Time.Advance(TimeSpan.FromMinutes(20));
        await bot.SayAsync("dana", $"/ticket ack {id}");
        bot.Time.Advance(TimeSpan.FromMinutes(100));
        await bot.SayAsync("dana", $"/ticket resolve {id} restarted the concentrator");
        bot.Time.Advance(TimeSpan.FromMinutes(5));

        var html = await bot.Http.GetStringAsync("/dashboard", TestContext.Current.CancellationToken);

        Assert.Contains("Resolution SLA</div><div class=\"value\">100 %", html, StringComparison.Ordinal);
        Assert.Contains("Mean time to resolve</div><div class=\"value\">2 h", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithNothingMeasuredYet_SaysNotAvailable_InsteadOfZero()
    {
        await using var bot = await TestBot.StartAsync();

        var html = await bot.Http.GetStringAsync("/dashboard", TestContext.Current.CancellationToken);

        Assert.Contains("First response SLA</div><div class=\"value\">n/a", html, StringComparison.Ordinal);
        Assert.Contains("Self-service success</div><div class=\"value\">n/a", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NewestNpsRunHadTooFewAnswers_SaysNotAvailableAndWhy_InsteadOfAnOlderSurveysScore()
    {
        var settings = SurveySettings.Nps("q3", "dev:alice")
            .Survey("q4", ["dev:alice", "dev:bob"], ("nps", "How likely are you to recommend the platform?")).Anonymous("q4", minGroupSize: 2);
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await SurveyChatTests.PressAsync(bot, "alice", await SurveyChatTests.SendAsync(bot, "q3", "alice"), "10");
        await bot.SayAsync("priya", "/survey close q3");
        bot.Time.Advance(TimeSpan.FromDays(1));
        await SurveyChatTests.PressAsync(bot, "alice", await SurveyChatTests.SendAsync(bot, "q4", "alice"), "3");
        await bot.SayAsync("priya", "/survey close q4");

        var html = await bot.Http.GetStringAsync("/dashboard", TestContext.Current.CancellationToken);

        Assert.Contains("NPS</div><div class=\"value\">n/a</div>", html, StringComparison.Ordinal);
        Assert.Contains("Developer experience pulse q4, run 1, closed 2026-11-24: too few answers to show (fewer than 2", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NpsFromBeforeThePeriod_SaysWhenItsRunClosed()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("q3", "dev:alice").ToDictionary());
        await SurveyChatTests.PressAsync(bot, "alice", await SurveyChatTests.SendAsync(bot, "q3", "alice"), "10");
        await bot.SayAsync("priya", "/survey close q3");
        bot.Time.Advance(TimeSpan.FromDays(45));

        var html = await bot.Http.GetStringAsync("/dashboard", TestContext.Current.CancellationToken);

        Assert.Contains("NPS</div><div class=\"value\">+100</div>", html, StringComparison.Ordinal);
        Assert.Contains("Developer experience pulse q3, run 1, closed 2026-11-23: 1 answers (100 %)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatScorecard_WithheldNps_SaysWhyUnderTheValue()
    {
        var closed = TestBot.MondayMorning.AddDays(-3);
        var pulse = new SurveyPulse("q4", "Quarterly pulse", 2, closed, 3, 0.3, null, null, [], null) { AsksNps = true, Suppressed = true, MinGroupSize = 5 };
        var card = new Scorecard(TestBot.MondayMorning.AddDays(-30), TestBot.MondayMorning, null, null, pulse, null, null);

        var nps = ScorecardText.Blocks(card).OfType<SectionBlock>().SelectMany(b => b.Fields).Single(f => f.Label == "NPS");

        Assert.Equal("n/a\nQuarterly pulse, run 2, closed 2026-11-20: too few answers to show (fewer than 5, so they stay anonymous)", nps.Value.ToPlainText());
    }

    [GeneratedRegex(@"PLAT-\d+")]
    private static partial Regex TicketId();
}
