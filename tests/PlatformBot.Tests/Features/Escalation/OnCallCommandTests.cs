using Microsoft.Extensions.Time.Testing;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class OnCallCommandTests
{
    private static string Text(System.Text.Json.Nodes.JsonArray answer) => (string)answer.Single()!["text"]!;

    [Fact]
    public async Task OnCall_ShowsWhoIsOnNow_Until_AndNext()
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = Text(await h.Bot.SayAsync("alice", "/oncall"));

        Assert.Contains("day (daily, handoff 09:00 Europe/Berlin)\nNow: dana\nUntil: Tue 24 Nov 09:00 Europe/Berlin\nNext: omar", answer, StringComparison.Ordinal);
        Assert.Contains("backup (weekly on Mondays, handoff 09:00 Europe/Berlin)\nNow: priya\nUntil: no handoff ahead", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_PutsSomeoneOnCall_ForItsWindowOnly()
    {
        await using var h = await EscalationHarness.StartAsync();

        var made = Text(await h.Bot.SayAsync("omar", "/oncall override day priya 14:00 16:00"));
        h.Time.Advance(TimeSpan.FromHours(5)); // 14:00 Berlin
        var during = Text(await h.Bot.SayAsync("alice", "/oncall"));
        h.Time.Advance(TimeSpan.FromHours(2));
        var after = Text(await h.Bot.SayAsync("alice", "/oncall"));

        Assert.Contains("Override 1: priya is on call in day from Mon 23 Nov 14:00 Europe/Berlin to Mon 23 Nov 16:00 Europe/Berlin instead of dana", made, StringComparison.Ordinal);
        Assert.Contains("Now: priya (override)\nUntil: Mon 23 Nov 16:00 Europe/Berlin\nNext: dana", during, StringComparison.Ordinal);
        Assert.Contains("day (daily, handoff 09:00 Europe/Berlin)\nNow: dana", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_PagesTheOverridingPerson()
    {
        await using var h = await EscalationHarness.StartAsync();
        await h.Bot.SayAsync("omar", "/oncall override day priya now +2h");

        var id = await h.FileAsync("P1");

        Assert.Single(await h.PingsAsync("priya", id));
        Assert.Empty(await h.PingsAsync("dana", id));
    }

    [Fact]
    public async Task Overrides_CanBeCancelled()
    {
        await using var h = await EscalationHarness.StartAsync();
        await h.Bot.SayAsync("omar", "/oncall override day priya now +2h");
        var list = (await h.Bot.SayAsync("omar", "/oncall overrides")).Single()!;

        var cancelled = Text(await h.Bot.ClickAsync("dana", list, "escalation.override.cancel", "1"));
        var now = Text(await h.Bot.SayAsync("alice", "/oncall"));

        Assert.Contains("Cancelled override 1", cancelled, StringComparison.Ordinal);
        Assert.Contains("Now: dana", now, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "/oncall override day priya 14:00 16:00", "Only the platform team's agents")]
    [InlineData("omar", "/oncall override nights priya 14:00 16:00", "There is no schedule nights. The schedules are: backup, day")]
    [InlineData("omar", "/oncall override day zed 14:00 16:00", "I don't know zed")]
    [InlineData("omar", "/oncall override day priya 16:00 14:00", "ends (Mon 23 Nov 14:00) before it starts (Mon 23 Nov 16:00); nothing was changed")]
    [InlineData("omar", "/oncall override day priya 05:00 06:00", "That override ended already")]
    [InlineData("omar", "/oncall override day priya later never", "I can't read later never as a start and an end")]
    [InlineData("omar", "/oncall override day priya", "Write /oncall override <schedule> <user> <from> <to>")]
    public async Task BadOverride_GetsAClearAnswer_AndChangesNothing(string user, string text, string expected)
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = Text(await h.Bot.SayAsync(user, text));
        var overrides = Text(await h.Bot.SayAsync("omar", "/oncall overrides"));

        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.StartsWith("No overrides", overrides, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_ShowsItsNextShifts_InTheReadersZoneToo()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["OnCall:Schedules:day:TimeZone"] = "America/New_York", ["OnCall:Schedules:day:HandoffTime"] = "03:00" });

        var answer = Text(await h.Bot.SayAsync("alice", "/oncall day"));

        // The reader's zone is Team:TimeZone (Europe/Berlin) here: the dev chat does not tell us a person's zone.
        Assert.Contains("• Tue 24 Nov 03:00 America/New_York (09:00 Europe/Berlin, your time): omar", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcrossTheSpringChange_RotationAndOverrideFollowTheWallClock()
    {
        // Sat 27 Mar 2027 12:00 Berlin; clocks go forward on Sunday at 02:00. day: dana, omar from Mon 22 Mar, 09:00 handoffs.
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 3, 27, 11, 0, 0, TimeSpan.Zero));
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["OnCall:Schedules:day:Start"] = "2027-03-22" }, time: time);
        var made = Text(await h.Bot.SayAsync("omar", "/oncall override day priya saturday 20:00 sunday 20:00"));

        h.Time.SetUtcNow(new DateTimeOffset(2027, 3, 28, 17, 30, 0, TimeSpan.Zero)); // Sun 19:30 CEST: still the override
        var sunday = await h.FileAsync("P1");
        var sundayPing = (await h.PingsAsync("priya", sunday)).Single();
        await h.Bot.ClickAsync("priya", sundayPing, "escalation.ack");
        h.Time.SetUtcNow(new DateTimeOffset(2027, 3, 29, 7, 30, 0, TimeSpan.Zero)); // Mon 09:30 CEST: omar's day since 09:00 CEST
        var monday = await h.FileAsync("P1");

        Assert.Contains("from Sat 27 Mar 20:00 Europe/Berlin to Sun 28 Mar 20:00 Europe/Berlin", made, StringComparison.Ordinal);
        Assert.Empty(await h.PingsAsync("dana", sunday));
        Assert.Single(await h.PingsAsync("omar", monday));
        Assert.Empty(await h.PingsAsync("dana", monday));
    }
}
