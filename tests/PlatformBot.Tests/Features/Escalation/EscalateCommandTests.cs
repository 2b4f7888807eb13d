namespace PlatformBot.Tests.Features.Escalation;

public sealed class EscalateCommandTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static string Text(System.Text.Json.Nodes.JsonArray answer) => (string)answer.Single()!["text"]!;

    [Fact]
    public async Task Requester_EscalatesTheirOwnTicket_WithAReason()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice", summary: "Build agents are gone");

        var answer = Text(await h.Bot.SayAsync("alice", $"/escalate {id} the release is blocked"));
        await h.SettleAsync();

        Assert.Contains($"Escalated {id}: paged dana", answer, StringComparison.Ordinal);
        var ping = (await h.PingsAsync("dana", id)).Single();
        Assert.Contains("escalated by alice: the release is blocked", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Contains(h.TicketNotes(id), n => n.StartsWith($"Escalation: Chain {id}:manual-1 started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requester_EscalatesAgainWithinTheHour_IsRefused_UntilTheHourIsOver()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await EscalatedByAliceAndAcknowledgedAsync(h);
        h.Time.Advance(30 * Minute);

        var refused = Text(await h.Bot.SayAsync("alice", $"/escalate {id} still blocked"));
        h.Time.Advance(31 * Minute);
        var allowed = Text(await h.Bot.SayAsync("alice", $"/escalate {id} still blocked"));

        Assert.Contains("you can escalate it again from Mon 23 Nov 10:00 Europe/Berlin", refused, StringComparison.Ordinal);
        Assert.Contains($"Escalated {id}", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requester_EscalatesByTheTicketsNumberAlone_AsTicketCommandsTakeIt()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice");

        var answer = Text(await h.Bot.SayAsync("alice", $"/escalate {id["PLAT-".Length..]} prod is down"));
        await h.SettleAsync();

        Assert.Contains($"Escalated {id}: paged dana", answer, StringComparison.Ordinal);
        Assert.Single(await h.PingsAsync("dana", id));
    }

    [Fact]
    public async Task Requester_EscalatesAgainWithinAConfiguredCooldown_IsToldThatCooldown_AndThatNobodyWasPaged()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Escalation:RequesterCooldown"] = "02:00:00" });
        var id = await EscalatedByAliceAndAcknowledgedAsync(h);
        h.Time.Advance(90 * Minute);

        var refused = Text(await h.Bot.SayAsync("alice", $"/escalate {id} still blocked"));
        await h.SettleAsync();

        Assert.Contains($"{id} was escalated by its requester at Mon 23 Nov 09:00, and a requester may escalate a ticket once every 2 h: you can escalate it again from Mon 23 Nov 11:00 Europe/Berlin. Nobody was paged now", refused, StringComparison.Ordinal);
        Assert.Single(await h.PingsAsync("dana", id));
    }

    [Fact]
    public async Task Agent_MayEscalateAnyTicketAgainAndAgain()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice");
        await h.Bot.SayAsync("omar", $"/escalate {id} customer call in 10 min");
        await h.SettleAsync();
        await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");

        var again = Text(await h.Bot.SayAsync("omar", $"/escalate {id} it is back"));

        Assert.Contains($"Escalated {id}", again, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bob", "/escalate PLAT-1 me too", "You can escalate only tickets you filed")]
    [InlineData("alice", "/escalate PLAT-99 where is it", "I can't find the ticket PLAT-99")]
    [InlineData("alice", "/escalate PLAT-1", "Say why you escalate: /escalate PLAT-1 <reason>.")]
    [InlineData("alice", "/escalate", "/escalate <ticket> <reason>")]
    public async Task BadEscalation_GetsAClearAnswer_AndPagesNobody(string user, string text, string expected)
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice");

        var answer = Text(await h.Bot.SayAsync(user, text));
        await h.SettleAsync();

        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.Empty(await h.PingsAsync("dana", id));
        Assert.Empty(h.TicketNotes(id));
    }

    [Fact]
    public async Task ResolvedTicket_IsNotEscalated()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice");
        await h.Bot.SayAsync("omar", $"/ticket resolve {id} done");

        var answer = Text(await h.Bot.SayAsync("alice", $"/escalate {id} please"));

        Assert.Contains($"{id} is resolved", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileAChainIsWalking_EscalatingAgainSaysWhoWasPaged()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1", requester: "alice");

        var answer = Text(await h.Bot.SayAsync("alice", $"/escalate {id} faster please"));

        Assert.Contains($"{id} is already escalating since Mon 23 Nov 09:00: paged dana, nobody has acknowledged yet; the next step comes at Mon 23 Nov 09:10", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CategoryRule_PicksItsPolicy_ForTicketsInThatCategory()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Escalation:Rules:2:Category"] = "network",
            ["Escalation:Rules:2:Policy"] = "network",
            ["Escalation:Policies:network:Levels:0:Targets:0"] = "user:nina",
            ["Escalation:Policies:network:AfterHours"] = "page",
        });
        var network = await h.FileAsync("P3", requester: "alice", summary: "DNS flaps", category: "network");
        var other = await h.FileAsync("P3", requester: "alice", summary: "Wiki is slow");

        await h.Bot.SayAsync("omar", $"/escalate {network} flapping again");
        await h.Bot.SayAsync("omar", $"/escalate {other} users complain");
        await h.SettleAsync();
        var dryRun = Text(await h.Bot.SayAsync("alice", "/escalate dryrun P3 category network"));

        Assert.Single(await h.PingsAsync("nina", network));
        Assert.Empty(await h.PingsAsync("nina", other));
        Assert.Single(await h.PingsAsync("dana", other));
        Assert.Contains("level 1 pages nina (named in the policy)", dryRun, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ListsWhoWouldBePagedMinuteByMinute()
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = Text(await h.Bot.SayAsync("alice", "/escalate dryrun P1"));

        Assert.Contains("Policy page (3 level(s); after hours: page)", answer, StringComparison.Ordinal);
        Assert.Contains("+0 min Mon 23 Nov 09:00: level 1 pages dana (on call in day)", answer, StringComparison.Ordinal);
        Assert.Contains("+10 min Mon 23 Nov 09:10: level 2 pages priya (on call in backup)", answer, StringComparison.Ordinal);
        Assert.Contains("+25 min Mon 23 Nov 09:25: level 3 pages lee (named in the policy)", answer, StringComparison.Ordinal);
        Assert.Contains("+45 min nobody acknowledged: the chain ends", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_LowPriorityOnASaturdayNight_WaitsForMonday()
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = Text(await h.Bot.SayAsync("alice", "/escalate dryrun P3 at saturday 02:00"));

        Assert.Contains("Dry run: P3 at Sat 28 Nov 02:00 Europe/Berlin", answer, StringComparison.Ordinal);
        Assert.Contains("+0 min outside business hours", answer, StringComparison.Ordinal);
        Assert.Contains("waits until Mon 30 Nov 09:00", answer, StringComparison.Ordinal);
        Assert.Contains("Mon 30 Nov 09:00: level 1 pages omar (on call in day)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_OnAHoliday_WaitsForTheNextWorkingDay()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:Calendars:testoffice:Holidays:0"] = "2026-12-25" });

        var answer = Text(await h.Bot.SayAsync("alice", "/escalate dryrun P4 at 2026-12-25 10:00"));

        Assert.Contains("waits until Mon 28 Dec 09:00", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/escalate dryrun P9", "Name a priority")]
    [InlineData("/escalate dryrun P1 at teatime", "I can't read teatime as a time")]
    [InlineData("/escalate dryrun P1 soon", "I don't understand soon there")]
    public async Task DryRun_BadInput_SaysWhatIsWrong(string text, string expected)
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = Text(await h.Bot.SayAsync("alice", text));

        Assert.Contains(expected, answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscalateButtonOnTheTicketCard_AsksForAReason_ThenEscalates()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P3", requester: "alice");
        var card = (await h.Bot.ConversationAsync("support")).First(m => (string?)m!["cardKey"] == "ticket:" + id)!;

        var form = (await h.Bot.ClickAsync("alice", card, "ticket.escalate")).Single()!;
        var empty = (await h.Bot.SubmitAsync("alice", form, new Dictionary<string, string> { ["reason"] = " " })).Single()!;
        var done = Text(await h.Bot.SubmitAsync("alice", form, new Dictionary<string, string> { ["reason"] = "customers cannot log in" }));

        Assert.Equal("escalation.escalate.form", (string)form["form"]!["formId"]!);
        Assert.NotNull(empty["form"]);
        Assert.Contains($"Escalated {id}: paged dana", done, StringComparison.Ordinal);
    }

    /// <summary>alice's P3 ticket, escalated by her at 09:00 and acknowledged by dana, who was paged; returns its id.</summary>
    private static async Task<string> EscalatedByAliceAndAcknowledgedAsync(EscalationHarness h)
    {
        var id = await h.FileAsync("P3", requester: "alice");
        await h.Bot.SayAsync("alice", $"/escalate {id} blocked");
        await h.SettleAsync();
        await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        return id;
    }
}
