using System.Text.RegularExpressions;
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

    [GeneratedRegex(@"PLAT-\d+")]
    private static partial Regex TicketId();
}
