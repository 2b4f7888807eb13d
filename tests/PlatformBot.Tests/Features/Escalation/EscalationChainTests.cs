using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Escalation;

/// <summary>Whole chains on the real bot, with time driven by a FakeTimeProvider and pings read from the dev chat's DM panes.</summary>
public sealed class EscalationChainTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task P1_PagesWhoeverIsOnCall_InTheirDirectMessages_WithTheButtons()
    {
        await using var h = await EscalationHarness.StartAsync();
        var ticket = await h.FileAsync("PLAT-1");

        h.Trigger(ticket);
        await h.SweepAsync();

        var ping = Assert.Single(await h.PingsAsync("dana"));
        Assert.Contains("VPN is down", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Contains("Nobody acknowledges → level 2 is paged at Mon 23 Nov 09:10 Europe/Berlin (10 min).", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Equal(["escalation.ack", "escalation.reassign", "escalation.snooze"], TestBot.Buttons(ping).Select(b => (string)b["actionId"]!));
        Assert.Contains(await h.ThreadAsync(), line => line.StartsWith("Paged @dana (level 1 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoAnswer_WalksEveryLevel_AfterEachLevelsWait_ThenStops()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();

        await h.AdvanceAsync(9 * Minute);
        var priyaAt9 = (await h.PingsAsync("priya")).Count;
        await h.AdvanceAsync(Minute);
        var priyaAt10 = (await h.PingsAsync("priya")).Count;
        await h.AdvanceAsync(15 * Minute);
        var leeAt25 = (await h.PingsAsync("lee")).Count;
        await h.AdvanceAsync(20 * Minute);
        await h.AdvanceAsync(60 * Minute);

        Assert.Equal((0, 1, 1), (priyaAt9, priyaAt10, leeAt25));
        var counts = await h.CountsAsync("PLAT-1", "dana", "priya", "lee");
        Assert.Equal(new[] { 1, 1, 1 }, counts);
        Assert.Contains("Escalation stopped: nobody acknowledged.", await h.ThreadAsync());
        Assert.Contains(h.Tickets.AuditTrail, line => line.Contains("Level 3 of 3: paged lee", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledge_StopsTheChain_AndCountsAsFirstResponse()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();
        await h.AdvanceAsync(3 * Minute);

        var answer = await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana")).Single(), "escalation.ack");
        await h.AdvanceAsync(2 * TimeSpan.FromHours(1));

        Assert.Contains("You acknowledged PLAT-1", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Empty(TestBot.Buttons((await h.PingsAsync("dana")).Single())); // the ping now says it was acknowledged
        Assert.Empty(await h.PingsAsync("priya"));
        Assert.Equal([("PLAT-1", "dev:dana")], h.Tickets.Acknowledgements);
        Assert.Contains("@dana acknowledged the escalation (3 min after it started).", await h.ThreadAsync());
    }

    [Fact]
    public async Task AcknowledgeByAnother_UpdatesTheEarlierPings()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();
        await h.AdvanceAsync(10 * Minute);

        await h.Bot.ClickAsync("priya", (await h.PingsAsync("priya")).Single(), "escalation.ack");
        await h.Bot.DeliverOutboxAsync();

        var danas = (await h.PingsAsync("dana")).Single();
        Assert.Empty(TestBot.Buttons(danas));
        Assert.Contains("Acknowledged by priya", (string)danas["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondAcknowledge_SaysWhoWasFirst_AndChangesNothing()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();
        var ping = (await h.PingsAsync("dana")).Single();
        await h.Bot.ClickAsync("omar", ping, "escalation.ack");

        var again = await h.Bot.ClickAsync("dana", ping, "escalation.ack");

        Assert.Contains("already acknowledged by omar", (string)again.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Equal([("PLAT-1", "dev:omar")], h.Tickets.Acknowledgements);
    }

    [Fact]
    public async Task Acknowledge_BySomeoneNeitherPagedNorAnAgent_IsRefused()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();

        var answer = await h.Bot.ClickAsync("mallory", (await h.PingsAsync("dana")).Single(), "escalation.ack");
        await h.AdvanceAsync(10 * Minute);

        Assert.Contains("Only the people paged", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Single(await h.PingsAsync("priya"));
    }

    [Fact]
    public async Task Repeat_RunsTheWholeChainAgain_WithNewPings()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Escalation:Policies:page:Repeat"] = "1" });
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();

        for (var i = 0; i < 12; i++)
        {
            await h.AdvanceAsync(10 * Minute);
        }

        var counts = await h.CountsAsync("PLAT-1", "dana", "priya", "lee");
        Assert.Equal(new[] { 2, 2, 2 }, counts);
        Assert.Contains(await h.ThreadAsync(), l => l.Contains("level 1 of 3, repeat 1 of 1", StringComparison.Ordinal));
        Assert.Contains("Escalation stopped: nobody acknowledged after 2 rounds.", await h.ThreadAsync());
    }

    [Fact]
    public async Task RestartMidChain_ContinuesAtTheRightTime_AndSendsNothingTwice()
    {
        var folder = TempFolder.Create();
        var time = new FakeTimeProvider(TestBot.MondayMorning);
        var tickets = new StubTickets();
        await using (var first = await EscalationHarness.StartAsync(dataDirectory: folder, time: time, tickets: tickets))
        {
            first.Trigger(await first.FileAsync("PLAT-1"));
            await first.SweepAsync();
            await first.AdvanceAsync(6 * Minute);
        }

        time.Advance(6 * Minute); // down at +12 while level 2 came due (at +10)
        await using var second = await EscalationHarness.StartAsync(dataDirectory: folder, time: time, tickets: tickets);
        await second.SweepAsync();
        await second.SweepAsync();
        var priyaAfterRestart = (await second.PingsAsync("priya")).Count;
        await second.AdvanceAsync(14 * Minute); // +26: priya was paged at +12 and has her 15 min, to +27
        var leeAt26 = (await second.PingsAsync("lee")).Count;
        await second.AdvanceAsync(Minute);

        Assert.Equal((1, 0), (priyaAfterRestart, leeAt26));
        var counts = await second.CountsAsync("PLAT-1", "dana", "priya", "lee");
        Assert.Equal(new[] { 1, 1, 1 }, counts);
        Assert.Single(await second.ThreadAsync(), l => l.StartsWith("Paged @priya", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelDownForAnHour_GetsEveryPingOnceWhenItRecovers()
    {
        var pager = new RecordingSender("pager") { FailWith = new ChannelSendException("service unavailable", isTransient: true) };
        await using var h = await EscalationHarness.StartAsync(
            new Dictionary<string, string?> { ["Escalation:PageChannel"] = "pager", ["Outbox:MaxAttempts"] = "20" },
            services: s => s.AddSingleton<IChannelSender>(pager));
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();

        for (var i = 0; i < 12; i++)
        {
            await h.AdvanceAsync(5 * Minute);
        }

        var sentWhileDown = pager.Sent.Count;
        pager.FailWith = null;
        for (var i = 0; i < 3; i++)
        {
            await h.AdvanceAsync(5 * Minute);
        }

        Assert.Equal(0, sentWhileDown);
        Assert.Equal(["dm-dana", "dm-lee", "dm-priya"], pager.Sent.Select(s => s.To.ConversationId).Order(StringComparer.Ordinal));
        Assert.True(pager.Attempts > 6, $"the channel was tried {pager.Attempts} times while down");
    }

    [Fact]
    public async Task Snooze_HoldsTheNextLevel_ThenPagesTheSnoozerAgain()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();
        await h.AdvanceAsync(2 * Minute);

        var answer = await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana")).Single(), "escalation.snooze");
        await h.AdvanceAsync(14 * Minute); // +16: level 2 would have been due at +10; the snooze lasts to +17
        var afterFourteen = await h.CountsAsync("PLAT-1", "dana", "priya");
        await h.AdvanceAsync(Minute); // +17: dana again, with the level's 10 min to +27
        var afterFifteen = await h.CountsAsync("PLAT-1", "dana", "priya");
        await h.AdvanceAsync(9 * Minute);
        var afterTwentyFour = await h.CountsAsync("PLAT-1", "dana", "priya");
        await h.AdvanceAsync(Minute);

        Assert.Contains("Snoozed until", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 0 }, afterFourteen);
        Assert.Equal(new[] { 2, 0 }, afterFifteen);
        Assert.Equal(new[] { 2, 0 }, afterTwentyFour);
        Assert.Single(await h.PingsAsync("priya"));
    }

    [Fact]
    public async Task Reassign_PagesTheChosenPersonNow()
    {
        await using var h = await EscalationHarness.StartAsync();
        h.Trigger(await h.FileAsync("PLAT-1"));
        await h.SweepAsync();

        var form = (await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana")).Single(), "escalation.reassign")).Single()!;
        var refused = (await h.Bot.SubmitAsync("dana", form, new Dictionary<string, string> { ["person"] = "nobody-known" })).Single()!;
        var done = (await h.Bot.SubmitAsync("dana", form, new Dictionary<string, string> { ["person"] = "omar" })).Single()!;
        await h.Bot.DeliverOutboxAsync();

        Assert.Equal("escalation.reassign.form", (string)form["form"]!["formId"]!);
        Assert.NotNull(refused["form"]);
        Assert.Contains("Reassigned PLAT-1 to omar", (string)done["text"]!, StringComparison.Ordinal);
        Assert.Contains("reassigned to you by dana", (string)(await h.PingsAsync("omar")).Single()["text"]!, StringComparison.Ordinal);
        Assert.Contains("@dana reassigned the escalation to @omar.", await h.ThreadAsync());
    }

    [Fact]
    public async Task LowPriorityAtNight_WaitsForBusinessHours()
    {
        var saturdayNight = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero)); // Sat 02:00 Berlin
        await using var h = await EscalationHarness.StartAsync(time: saturdayNight);
        h.Trigger(await h.FileAsync("PLAT-1", priority: "P3"), "sla-warning", "SLA about to be missed");
        await h.SweepAsync();
        var pagedAtNight = (await h.PingsAsync("dana")).Count + (await h.PingsAsync("omar")).Count;

        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)); // Mon 09:00 Berlin
        await h.SweepAsync();

        Assert.Equal(0, pagedAtNight);
        Assert.Contains(await h.ThreadAsync(), l => l.Contains("paged from Mon 30 Nov 09:00 Europe/Berlin", StringComparison.Ordinal));
        Assert.Single(await h.PingsAsync("omar")); // Monday 30 Nov is omar's day (index 7)
    }

    [Fact]
    public async Task ResolvedTicket_StopsItsChain()
    {
        await using var h = await EscalationHarness.StartAsync();
        var ticket = await h.FileAsync("PLAT-1");
        h.Trigger(ticket);
        await h.SweepAsync();

        h.Tickets.Tickets["PLAT-1"] = ticket with { IsOpen = false };
        await h.AdvanceAsync(30 * Minute);

        Assert.Empty(await h.PingsAsync("priya"));
        Assert.Contains("Escalation stopped: the ticket is resolved.", await h.ThreadAsync());
    }

    [Fact]
    public async Task SameTriggerTwice_StartsOneChain()
    {
        await using var h = await EscalationHarness.StartAsync();
        var ticket = await h.FileAsync("PLAT-1");

        h.Trigger(ticket, "sla-breached:first-response", "SLA breached");
        h.Trigger(ticket, "sla-breached:first-response", "SLA breached");
        h.Trigger(ticket, "sla-warning:resolution", "SLA about to be missed");
        await h.SweepAsync();

        Assert.Single(await h.PingsAsync("dana"));
        Assert.Contains(h.Tickets.AuditTrail, l => l.Contains("is still escalating", StringComparison.Ordinal));
    }
}
