using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Features.Escalation;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Escalation;

/// <summary>
/// Whole chains on the real bot with real tickets: time driven by a FakeTimeProvider, pings read from the dev chat's DM
/// panes, the ticket's thread from #support.
/// </summary>
public sealed class EscalationChainTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task P1Filed_PagesWhoeverIsOnCall_InTheirDirectMessages_WithTheButtons()
    {
        await using var h = await EscalationHarness.StartAsync();

        var id = await h.FileAsync("P1");

        var ping = Assert.Single(await h.PingsAsync("dana", id));
        Assert.Contains("VPN is down", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Contains("Why: P1 ticket filed", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Contains("Nobody acknowledges → level 2 is paged at Mon 23 Nov 09:10 Europe/Berlin (10 min).", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Equal(["escalation.ack", "escalation.reassign", "escalation.snooze"], TestBot.Buttons(ping).Select(b => (string)b["actionId"]!));
        await h.AdvanceAsync(TimeSpan.FromSeconds(10)); // the page can be queued before the ticket's card is posted; its thread line then follows a retry later
        Assert.Contains(await h.ThreadAsync(id), line => line.StartsWith("Paged @dana (level 1 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task P2Filed_PagesNobody_UntilItsSlaSaysSo()
    {
        await using var h = await EscalationHarness.StartAsync();

        var id = await h.FileAsync("P2");
        await h.AdvanceAsync(30 * Minute);

        Assert.Empty(await h.PingsAsync("dana", id));
    }

    [Fact]
    public async Task NoAnswer_WalksEveryLevel_AfterEachLevelsWait_ThenStops()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");

        await h.AdvanceAsync(9 * Minute);
        var priyaAt9 = (await h.PingsAsync("priya", id)).Count;
        await h.AdvanceAsync(Minute);
        var priyaAt10 = (await h.PingsAsync("priya", id)).Count;
        await h.AdvanceAsync(15 * Minute);
        var leeAt25 = (await h.PingsAsync("lee", id)).Count;
        await h.AdvanceAsync(20 * Minute);
        await h.AdvanceAsync(60 * Minute);

        Assert.Equal((0, 1, 1), (priyaAt9, priyaAt10, leeAt25));
        var counts = await h.CountsAsync(id, "dana", "priya", "lee");
        Assert.Equal(new[] { 1, 1, 1 }, counts);
        Assert.Contains("Escalation stopped: nobody acknowledged.", await h.ThreadAsync(id));
        Assert.Contains(h.TicketNotes(id), n => n.Contains("Level 3 of 3: paged lee (named in the policy)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledge_StopsTheChain_AndIsTheTicketsFirstResponse()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");
        await h.AdvanceAsync(3 * Minute);

        var answer = await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        await h.SettleAsync();
        await h.AdvanceAsync(2 * TimeSpan.FromHours(1));

        Assert.Contains($"You acknowledged {id}", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Empty(TestBot.Buttons((await h.PingsAsync("dana", id)).Single())); // the ping now says it was acknowledged
        Assert.Empty(await h.PingsAsync("priya", id));
        Assert.Equal(TicketState.Acknowledged, h.Ticket(id).State);
        Assert.Contains("@dana acknowledged the escalation (3 min after it started).", await h.ThreadAsync(id));
        Assert.Contains(h.TicketNotes(id), n => n.Contains("Acknowledged by dana after 3 min", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PageAcknowledged_AfterTheOnCallTookTheTicket_IsItsFirstResponse_SoTheSlaPagesNobodyAgain()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:Policies:P1:FirstResponse"] = "01:00:00" });
        var id = await h.FileAsync("P1");
        var card = (await h.Bot.ConversationAsync("support")).First(m => (string?)m!["cardKey"] == "ticket:" + id)!;
        await h.Bot.ClickAsync("dana", card, "ticket.assign-me");
        await h.AdvanceAsync(3 * Minute);

        await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        await h.SettleAsync();
        for (var i = 0; i < 12; i++) // two hours: past the first response's warnings and its target
        {
            h.Time.Advance(10 * Minute);
            await h.SlaSweepAsync();
            await h.SweepAsync();
        }

        Assert.Equal(new[] { 1, 0, 0 }, await h.CountsAsync(id, "dana", "priya", "lee"));
        Assert.Equal(TicketState.InProgress, h.Ticket(id).State);
        var figures = h.Services.GetRequiredService<ITickets>().Figures(TestBot.MondayMorning, TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0), (figures.FirstResponse.Met, figures.FirstResponse.Breached));
    }

    [Fact]
    public async Task AcknowledgementReachingTheTicketLate_CountsFromWhenThePageWasAcknowledged()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");
        await h.AdvanceAsync(3 * Minute);

        // The click's transaction committed, then the process stopped before the ticket heard of it: the queued
        // acknowledgement reaches the ticket at a flush 20 min later.
        h.Services.GetRequiredService<EscalationEngine>().Acknowledge($"{id}:created", new UserRef("dev", "dana"), clickedCard: null);
        await h.AdvanceAsync(20 * Minute);

        var show = (string)(await h.Bot.SayAsync("dana", $"/ticket show {id}")).Single()!["text"]!;
        Assert.Contains("First response: met in 3 min", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgementTheTicketCouldNotTake_IsHandedOverAtTheNextSweep()
    {
        var flaky = new FlakyTickets();
        await using var h = await EscalationHarness.StartAsync(services: s =>
        {
            s.RemoveAll<ITickets>();
            s.AddSingleton<ITickets>(sp => flaky.Around(sp.GetRequiredService<TicketService>()));
        });
        var id = await h.FileAsync("P1");
        flaky.FailNextAcknowledgement = true;

        await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        await h.AdvanceAsync(Minute);

        Assert.Equal(1, flaky.Failures);
        Assert.Equal(TicketState.Acknowledged, h.Ticket(id).State);
    }

    [Fact]
    public async Task AcknowledgementFailingManyFlushesInAMinute_IsStillHandedOverOnceStorageRecovers()
    {
        // Flushes follow every escalation event and click, not only the sweep: counting attempts dropped the
        // acknowledgement within seconds of a busy fault. It is kept for a time instead.
        var flaky = new FlakyTickets();
        await using var h = await EscalationHarness.StartAsync(services: s =>
        {
            s.RemoveAll<ITickets>();
            s.AddSingleton<ITickets>(sp => flaky.Around(sp.GetRequiredService<TicketService>()));
        });
        var bridge = h.Bot.Services.GetRequiredService<IEscalationTickets>();
        var id = await h.FileAsync("P1");
        flaky.FailNextAcknowledgement = true;
        flaky.FailMore = 40;

        await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        for (var i = 0; i < 40; i++)
        {
            await bridge.FlushAsync(TestContext.Current.CancellationToken);
        }

        await h.AdvanceAsync(Minute);

        Assert.Equal(41, flaky.Failures); // every failure was a flush that kept the row
        Assert.Equal(TicketState.Acknowledged, h.Ticket(id).State);
    }

    [Fact]
    public async Task AgentAcknowledgesTheTicketItself_StopsTheChain()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");

        await h.Bot.SayAsync("omar", $"/ticket ack {id}");
        await h.SettleAsync();
        await h.AdvanceAsync(30 * Minute);

        Assert.Empty(await h.PingsAsync("priya", id));
        Assert.Contains("@omar acknowledged the escalation (0 min after it started).", await h.ThreadAsync(id));
    }

    [Fact]
    public async Task AcknowledgeByAnother_UpdatesTheEarlierPings()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");
        await h.AdvanceAsync(10 * Minute);

        await h.Bot.ClickAsync("priya", (await h.PingsAsync("priya", id)).Single(), "escalation.ack");
        await h.SettleAsync();

        var danas = (await h.PingsAsync("dana", id)).Single();
        Assert.Empty(TestBot.Buttons(danas));
        Assert.Contains("Acknowledged by priya", (string)danas["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondAcknowledge_SaysWhoWasFirst_AndChangesNothing()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");
        var ping = (await h.PingsAsync("dana", id)).Single();
        await h.Bot.ClickAsSomeoneElseAsync("omar", ping, "escalation.ack");

        var again = await h.Bot.ClickAsync("dana", ping, "escalation.ack");
        await h.SettleAsync();

        Assert.Contains("already acknowledged by omar", (string)again.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Single(h.TicketNotes(id), n => n.StartsWith("Escalation: Acknowledged by", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledge_BySomeoneNeitherPagedNorAnAgent_IsRefused()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");

        var answer = await h.Bot.ClickAsSomeoneElseAsync("mallory", (await h.PingsAsync("dana", id)).Single(), "escalation.ack");
        await h.AdvanceAsync(10 * Minute);

        Assert.Contains("Only the people paged", answer, StringComparison.Ordinal);
        Assert.Single(await h.PingsAsync("priya", id));
    }

    [Fact]
    public async Task Repeat_RunsTheWholeChainAgain_WithNewPings()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Escalation:Policies:page:Repeat"] = "1" });
        var id = await h.FileAsync("P1");

        for (var i = 0; i < 12; i++)
        {
            await h.AdvanceAsync(10 * Minute);
        }

        var counts = await h.CountsAsync(id, "dana", "priya", "lee");
        Assert.Equal(new[] { 2, 2, 2 }, counts);
        Assert.Contains(await h.ThreadAsync(id), l => l.Contains("level 1 of 3, repeat 1 of 1", StringComparison.Ordinal));
        Assert.Contains("Escalation stopped: nobody acknowledged after 2 rounds.", await h.ThreadAsync(id));
    }

    [Fact]
    public async Task RestartMidChain_ContinuesAtTheRightTime_AndSendsNothingTwice()
    {
        var folder = TempFolder.Create();
        var time = new FakeTimeProvider(TestBot.MondayMorning);
        string id;
        await using (var first = await EscalationHarness.StartAsync(dataDirectory: folder, time: time))
        {
            id = await first.FileAsync("P1");
            await first.AdvanceAsync(6 * Minute);
        }

        time.Advance(6 * Minute); // down at +12 while level 2 came due (at +10)
        await using var second = await EscalationHarness.StartAsync(dataDirectory: folder, time: time);
        await second.SweepAsync();
        await second.SweepAsync();
        var priyaAfterRestart = (await second.PingsAsync("priya", id)).Count;
        await second.AdvanceAsync(14 * Minute); // +26: priya was paged at +12 and has her 15 min, to +27
        var leeAt26 = (await second.PingsAsync("lee", id)).Count;
        await second.AdvanceAsync(Minute);

        Assert.Equal((1, 0), (priyaAfterRestart, leeAt26));
        var counts = await second.CountsAsync(id, "dana", "priya", "lee");
        Assert.Equal(new[] { 1, 1, 1 }, counts);
        Assert.Single(await second.ThreadAsync(id), l => l.StartsWith("Paged @priya", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelDownForAnHour_GetsEveryPingOnceWhenItRecovers()
    {
        var pager = new RecordingSender("pager") { FailWith = new ChannelSendException("service unavailable", isTransient: true) };
        await using var h = await EscalationHarness.StartAsync(
            new Dictionary<string, string?> { ["Escalation:PageChannel"] = "pager" }, // the default Outbox:MaxAttempts outlasts the hour
            services: s => s.AddSingleton<IChannelSender>(pager));
        await h.FileAsync("P1");

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
        var id = await h.FileAsync("P1");
        await h.AdvanceAsync(2 * Minute);

        var answer = await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.snooze");
        await h.AdvanceAsync(14 * Minute); // +16: level 2 would have been due at +10; the snooze lasts to +17
        var afterFourteen = await h.CountsAsync(id, "dana", "priya");
        await h.AdvanceAsync(Minute); // +17: dana again, with the level's 10 min to +27
        var afterFifteen = await h.CountsAsync(id, "dana", "priya");
        await h.AdvanceAsync(9 * Minute);
        var afterTwentyFour = await h.CountsAsync(id, "dana", "priya");
        await h.AdvanceAsync(Minute);

        Assert.Contains("Snoozed until", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 0 }, afterFourteen);
        Assert.Equal(new[] { 2, 0 }, afterFifteen);
        Assert.Equal(new[] { 2, 0 }, afterTwentyFour);
        Assert.Single(await h.PingsAsync("priya", id));
    }

    [Fact]
    public async Task Reassign_PagesTheChosenPersonNow()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");

        var form = (await h.Bot.ClickAsync("dana", (await h.PingsAsync("dana", id)).Single(), "escalation.reassign")).Single()!;
        var refused = (await h.Bot.SubmitAsync("dana", form, new Dictionary<string, string> { ["person"] = "nobody-known" })).Single()!;
        var done = (await h.Bot.SubmitAsync("dana", form, new Dictionary<string, string> { ["person"] = "omar" })).Single()!;
        await h.SettleAsync();

        Assert.Equal("escalation.reassign.form", (string)form["form"]!["formId"]!);
        Assert.NotNull(refused["form"]);
        Assert.Contains($"Reassigned {id} to omar", (string)done["text"]!, StringComparison.Ordinal);
        Assert.Contains("reassigned to you by dana", (string)(await h.PingsAsync("omar", id)).Single()["text"]!, StringComparison.Ordinal);
        Assert.Contains("@dana reassigned the escalation to @omar.", await h.ThreadAsync(id));
    }

    [Fact]
    public async Task LowPriorityBreachAtNight_WaitsForBusinessHours()
    {
        var saturdayNight = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero)); // Sat 02:00 Berlin
        await using var h = await EscalationHarness.StartAsync(time: saturdayNight);
        var id = await h.FileAsync("P3");

        await h.BreachAsync(id);
        await h.SweepAsync();
        var pagedAtNight = (await h.PingsAsync("dana", id)).Count + (await h.PingsAsync("omar", id)).Count;
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)); // Mon 09:00 Berlin
        await h.SweepAsync();

        Assert.Equal(0, pagedAtNight);
        Assert.Contains(await h.ThreadAsync(id), l => l.Contains("paged from Mon 30 Nov 09:00 Europe/Berlin", StringComparison.Ordinal));
        Assert.Single(await h.PingsAsync("omar", id)); // Monday 30 Nov is omar's day (index 7)
    }

    [Fact]
    public async Task ResolvedTicket_StopsItsChain()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P1");

        await h.Bot.SayAsync("omar", $"/ticket resolve {id} rebooted the VPN gateway");
        await h.SettleAsync();
        await h.AdvanceAsync(30 * Minute);

        Assert.Empty(await h.PingsAsync("priya", id));
        Assert.Contains($"Escalation stopped: {id} was resolved by omar.", await h.ThreadAsync(id));
        Assert.Contains("Escalation stopped", (string)(await h.PingsAsync("dana", id)).Single()["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentsFirstReply_StopsTheChainTheFirstResponseWarningStarted()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:Policies:P2:FirstResponse"] = "01:00:00", ["Sla:WarnAt:0"] = "0.75", ["Sla:WarnAt:1"] = "0.9" });
        var id = await h.FileAsync("P2");
        h.Time.Advance(55 * Minute);
        await h.SlaSweepAsync(); // the 90% warning pages dana

        await h.Bot.SayAsync("omar", $"/ticket comment {id} Looking at the VPN gateway now");
        await h.SettleAsync();
        await h.AdvanceAsync(30 * Minute);

        Assert.Equal(new[] { 1, 0 }, await h.CountsAsync(id, "dana", "priya"));
        Assert.Contains($"Escalation stopped: {id} was answered by omar.", await h.ThreadAsync(id));
        Assert.Contains("Escalation stopped", (string)(await h.PingsAsync("dana", id)).Single()["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentsReply_StopsTheChainANextResponseWarningStarted()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:Policies:P2:NextResponse"] = "01:00:00", ["Sla:WarnAt:0"] = "0.75", ["Sla:WarnAt:1"] = "0.9" });
        var id = await h.FileAsync("P2");
        await h.Bot.SayAsync("omar", $"/ticket ack {id}");
        await h.Bot.SayAsync("alice", $"/ticket comment {id} Still down, any news?");
        h.Time.Advance(55 * Minute);
        await h.SlaSweepAsync(); // the 90% warning of the next response pages dana

        await h.Bot.SayAsync("omar", $"/ticket comment {id} The gateway is restarting");
        await h.SettleAsync();
        await h.AdvanceAsync(30 * Minute);

        Assert.Equal(new[] { 1, 0 }, await h.CountsAsync(id, "dana", "priya"));
        Assert.Contains($"Escalation stopped: {id} was answered by omar.", await h.ThreadAsync(id));
    }

    [Fact]
    public async Task SameBreachTwice_StartsOneChain_AndAWarningMeanwhileNone()
    {
        await using var h = await EscalationHarness.StartAsync();
        var id = await h.FileAsync("P2");
        var due = h.Time.GetUtcNow();

        await h.PublishAsync(new SlaBreached(id, SlaMetric.FirstResponse, TicketPriority.P2, due, null, due));
        await h.PublishAsync(new SlaBreached(id, SlaMetric.FirstResponse, TicketPriority.P2, due, null, due));
        await h.PublishAsync(new SlaWarning(id, SlaMetric.Resolution, 0.9, TicketPriority.P2, due, null, due));

        var ping = Assert.Single(await h.PingsAsync("dana", id));
        Assert.Contains("Why: SLA breached: first response was due Mon 23 Nov 09:00 (Europe/Berlin)", (string)ping["text"]!, StringComparison.Ordinal);
        Assert.Contains(h.TicketNotes(id), n => n.Contains("is still escalating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlaClock_EarlierWarningPagesNobody_TheLastWarningStartsTheChain()
    {
        await using var h = await EscalationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:Policies:P2:FirstResponse"] = "01:00:00", ["Sla:WarnAt:0"] = "0.75", ["Sla:WarnAt:1"] = "0.9" });
        var id = await h.FileAsync("P2");

        h.Time.Advance(46 * Minute);
        await h.SlaSweepAsync();
        var afterFirstWarning = (await h.PingsAsync("dana", id)).Count;
        h.Time.Advance(9 * Minute);
        await h.SlaSweepAsync();

        Assert.Equal(0, afterFirstWarning);
        Assert.Contains("Why: SLA about to be missed: first response due Mon 23 Nov 10:00", (string)(await h.PingsAsync("dana", id)).Single()["text"]!, StringComparison.Ordinal);
    }

    /// <summary>The real tickets, except that the next acknowledgement fails as a storage fault would.</summary>
    private sealed class FlakyTickets : ITickets
    {
        private ITickets _tickets = null!;

        public bool FailNextAcknowledgement { get; set; }

        /// <summary>This many more acknowledgements fail, after <see cref="FailNextAcknowledgement"/>.</summary>
        public int FailMore { get; set; }

        public int Failures { get; private set; }

        public FlakyTickets Around(ITickets tickets)
        {
            _tickets = tickets;
            return this;
        }

        public Task<TicketInfo?> AcknowledgeAsync(string id, UserRef agent, DateTimeOffset at, ConversationAddress via, CancellationToken cancellationToken)
        {
            if (FailNextAcknowledgement || FailMore > 0)
            {
                FailMore -= FailNextAcknowledgement ? 0 : 1;
                FailNextAcknowledgement = false;
                Failures++;
                throw new IOException("disk full");
            }

            return _tickets.AcknowledgeAsync(id, agent, at, via, cancellationToken);
        }

        public Task<TicketFiling> FileAsync(TicketRequest request, CancellationToken cancellationToken) => _tickets.FileAsync(request, cancellationToken);

        public TicketInfo? Find(string id) => _tickets.Find(id);

        public string? NormalizeId(string typed) => _tickets.NormalizeId(typed);

        public IReadOnlyList<TicketInfo> OpenTicketsOf(UserRef user) => _tickets.OpenTicketsOf(user);

        public IReadOnlyList<TicketCommentInfo> Comments(string id) => _tickets.Comments(id);

        public IReadOnlyList<TicketInfo> AboutToBreach(TimeSpan within, int max = 100) => _tickets.AboutToBreach(within, max);

        public Task<bool> AddSystemCommentAsync(string id, string text, CancellationToken cancellationToken) => _tickets.AddSystemCommentAsync(id, text, cancellationToken);

        public Form NewTicketForm(TicketDraft? draft = null) => _tickets.NewTicketForm(draft);

        public Reply? Card(string id) => _tickets.Card(id);

        public SlaFigures Figures(DateTimeOffset from, DateTimeOffset to) => _tickets.Figures(from, to);
    }
}
