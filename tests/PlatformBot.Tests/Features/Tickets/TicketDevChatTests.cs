using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Features.Tickets;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Tickets;

/// <summary>Tickets end to end through the dev chat's HTTP API on the real host (a Monday 09:00 in Berlin).</summary>
public sealed class TicketDevChatTests
{
    [Fact]
    public async Task Filing_AnswersWithTheCard_ItsButtons_AndTheFirstResponseTimeInTheRequestersZone()
    {
        await using var bot = await TestBot.StartAsync();

        var card = One(await bot.SayAsync("alice", "/ticket p2 #network VPN drops every hour"));

        Assert.Equal("ticket:PLAT-1", (string?)card["cardKey"]);
        Assert.Equal(
            ["ticket.ack", "ticket.assign-me", "ticket.resolve", "ticket.escalate", "ticket.sla"],
            TestBot.Buttons(card).Select(b => (string)b["actionId"]!));
        Assert.All(TestBot.Buttons(card), b => Assert.Equal("PLAT-1", (string?)b["value"]));
        var text = (string)card["text"]!;
        Assert.Contains("PLAT-1: VPN drops every hour", text, StringComparison.Ordinal);
        Assert.Contains("Priority: P2", text, StringComparison.Ordinal);
        Assert.Contains("Category: network", text, StringComparison.Ordinal);
        Assert.Contains("alice: first response expected by Mon 23 Nov 10:00 (Europe/Berlin)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ticket still drops on the office wifi")]
    [InlineData("help me, it is still down")]
    public async Task ThreadReplyStartingWithACommandWord_IsAComment_NotACommand(string reply)
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket VPN drops every hour"));

        await bot.SayAsync("alice", reply, threadId: (string)card["id"]!);

        var tickets = bot.Services.GetRequiredService<TicketService>();
        Assert.Null(tickets.Get("PLAT-2"));
        Assert.Contains(tickets.Get("PLAT-1")!.Comments, c => c.Text == reply);
    }

    [Fact]
    public async Task Acknowledge_ThreadReply_UpdateTheOneCardInPlace()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket VPN drops every hour"));
        var cardId = (string)card["id"]!;

        var clicked = One(await bot.ClickAsync("dana", card, "ticket.ack"));
        await bot.SayAsync("alice", "It only happens on the office wifi", threadId: cardId);
        await bot.DeliverOutboxAsync();
        var conversation = await bot.ConversationAsync("support", "alice");

        Assert.Equal(cardId, (string?)clicked["id"]);
        Assert.Contains("State: Acknowledged", (string)clicked["text"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(TestBot.Buttons(clicked), b => (string?)b["actionId"] == "ticket.ack");
        var cards = conversation.Where(m => (string?)m!["cardKey"] == "ticket:PLAT-1").ToList();
        var current = Assert.Single(cards)!;
        Assert.Equal(cardId, (string?)current["id"]);
        Assert.Contains("1 comment", (string)current["text"]!, StringComparison.Ordinal);
        var ticket = bot.Services.GetRequiredService<TicketService>().Get("PLAT-1")!;
        Assert.Equal("It only happens on the office wifi", Assert.Single(ticket.Comments).Text);
    }

    [Fact]
    public async Task RequesterClickingAcknowledge_IsRefused_AndTheCardStaysAsItWas()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket VPN drops every hour"));

        var answer = One(await bot.ClickAsync("alice", card, "ticket.ack"));
        var conversation = await bot.ConversationAsync("support", "alice");

        Assert.True((bool)answer["private"]!);
        Assert.Contains("Only the platform team", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains("State: New", (string)conversation.Single(m => (string?)m!["id"] == (string?)card["id"])!["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAndReply_TellTheRequesterTheClockPausedAndRunsAgain()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket VPN drops every hour"));

        await bot.SayAsync("dana", "/ticket wait PLAT-1");
        await bot.DeliverOutboxAsync();
        bot.Time.Advance(TimeSpan.FromHours(2));
        await bot.SayAsync("alice", "Here is the log you asked for", threadId: (string)card["id"]!);
        await bot.DeliverOutboxAsync();
        var thread = (await bot.ConversationAsync("support", "alice")).Where(m => (string?)m!["threadId"] == (string?)card["id"] && (string?)m!["from"] == "PlatformBot").Select(m => (string)m!["text"]!).ToList();

        Assert.Contains(thread, t => t.Contains("waiting for you on PLAT-1: the clock is paused", StringComparison.Ordinal));
        Assert.Contains(thread, t => t.Contains("the clock of PLAT-1 runs again. Resolution is now due by", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClosedUnanswered_CountsInNeitherFirstResponseFigure()
    {
        await using var bot = await ClosedUnansweredAsync();

        var figures = bot.Services.GetRequiredService<ITickets>().Figures(TestBot.MondayMorning, TestBot.MondayMorning.AddDays(1));
        Assert.Equal((0, 0), (figures.FirstResponse.Met, figures.FirstResponse.Breached));
        Assert.Null(figures.FirstResponse.Rate);
    }

    [Fact]
    public async Task ClosedUnanswered_TheCardSaysNobodyAnswered()
    {
        await using var bot = await ClosedUnansweredAsync();

        var show = (string)One(await bot.SayAsync("alice", "/ticket show PLAT-1"))["text"]!;

        Assert.Contains("First response: none: closed unanswered", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReopenedUnanswered_TheFirstResponseClockRunsOnWhereItStopped()
    {
        await using var bot = await ClosedUnansweredAsync();
        bot.Time.Advance(TimeSpan.FromDays(1)); // Tuesday 09:10

        await bot.SayAsync("alice", "/ticket reopen PLAT-1");

        var show = (string)One(await bot.SayAsync("alice", "/ticket show PLAT-1"))["text"]!;
        Assert.Contains("alice: first response expected by Tue 24 Nov 10:00 (Europe/Berlin)", show, StringComparison.Ordinal); // 50 min of the hour left
    }

    [Fact]
    public async Task AgentsOwnTicket_HisReplyEndsTheWaitForHim_AndTheClockRunsAgain()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("dana", "/ticket My laptop cannot reach the registry"));
        await bot.SayAsync("omar", "/ticket wait PLAT-1");
        bot.Time.Advance(TimeSpan.FromHours(2));

        await bot.SayAsync("dana", "Here is the traceroute you asked for", threadId: (string)card["id"]!);
        await bot.DeliverOutboxAsync();

        var ticket = bot.Services.GetRequiredService<ITickets>().Find("PLAT-1")!;
        Assert.Equal(TicketState.InProgress, ticket.State);
        Assert.NotNull(ticket.ResolutionDue);
        var thread = (await bot.ConversationAsync("support", "dana")).Where(m => (string?)m!["threadId"] == (string?)card["id"]).Select(m => (string)m!["text"]!);
        Assert.Contains(thread, t => t.Contains("the clock of PLAT-1 runs again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlaButton_ExplainsTheClockInWords_OnlyToWhoAsked()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket p2 VPN drops every hour"));

        var answer = One(await bot.ClickAsync("alice", card, "ticket.sla"));

        Assert.True((bool)answer["private"]!);
        Assert.Contains("First response: due Mon 23 Nov 10:00, 1 h of working time left of 1 h", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalate_AsksWhy_BeforeAnyoneIsPaged()
    {
        await using var bot = await TestBot.StartAsync();
        var card = One(await bot.SayAsync("alice", "/ticket VPN drops every hour"));

        var answer = One(await bot.ClickAsync("alice", card, "ticket.escalate"));

        Assert.Equal("escalation.escalate.form", (string)answer["form"]!["formId"]!); // the Escalation feature answers the button
    }

    [Fact]
    public async Task Form_FilesTheTicket_AndRefusesAnEmptyTitleFieldByField()
    {
        await using var bot = await TestBot.StartAsync();
        var formMessage = One(await bot.SayAsync("alice", "/ticket"));

        var refused = One(await bot.SubmitAsync("alice", formMessage, new Dictionary<string, string> { ["title"] = " ", ["priority"] = "P9" }));
        var filed = One(await bot.SubmitAsync("alice", formMessage, new Dictionary<string, string>
        {
            ["title"] = "Cannot push to registry",
            ["description"] = "403 since this morning",
            ["priority"] = "P2",
            ["category"] = "ci",
            ["service"] = "registry",
        }));

        Assert.Equal("ticket.form", (string?)formMessage["form"]!["formId"]);
        Assert.Equal(["title", "description", "priority", "category", "service"], formMessage["form"]!["fields"]!.AsArray().Select(f => (string)f!["name"]!));
        var errors = refused["form"]!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("title") && errors.ContainsKey("priority"));
        Assert.Equal("ticket:PLAT-1", (string?)filed["cardKey"]);
        Assert.Contains("Service: registry", (string)filed["text"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ticket p7 VPN", "p7 is not a priority")]
    [InlineData("/ticket show PLAT-99", "There is no ticket PLAT-99")]
    [InlineData("/ticket resolve PLAT-1", "Only the platform team")]
    public async Task BadInput_GetsAClearPrivateAnswer_AndFilesNothingMore(string text, string expected)
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket VPN drops every hour");

        var answer = One(await bot.SayAsync("alice", text));

        Assert.True((bool)answer["private"]!);
        Assert.Contains(expected, (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Null(bot.Services.GetRequiredService<ITickets>().Find("PLAT-2"));
        Assert.Single(bot.Services.GetRequiredService<TicketService>().Get("PLAT-1")!.Audit);
    }

    [Fact]
    public async Task RefusedTransition_NamesTheAllowedOnes()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket VPN drops every hour");
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 restarted the gateway");

        var answer = One(await bot.SayAsync("dana", "/ticket wait PLAT-1"));

        Assert.Contains("PLAT-1 is resolved, so it cannot take wait; from there it can take: reopen, close, comment.", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameIdempotencyKey_FilesOnce_AndSaysWhereItWent()
    {
        await using var bot = await TestBot.StartAsync();
        var tickets = bot.Services.GetRequiredService<ITickets>();
        var request = new TicketRequest(new UserRef("slack", "U1", "Alice"), "DNS fails in staging", new ConversationAddress("slack", "C1")) { IdempotencyKey = "1712345678.000100" };

        var first = await tickets.FileAsync(request, TestContext.Current.CancellationToken);
        var second = await tickets.FileAsync(request with { Summary = "DNS fails in staging (again)" }, TestContext.Current.CancellationToken);

        Assert.False(first.AlreadyFiled);
        Assert.True(second.AlreadyFiled);
        Assert.Equal(first.Ticket!.Id, second.Ticket!.Id);
        Assert.Contains("already filed as PLAT-1", second.Reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiledForSomeoneWithAZone_TellsTheFirstResponseTimeInHisZone()
    {
        await using var bot = await TestBot.StartAsync();
        var tickets = bot.Services.GetRequiredService<ITickets>();

        var filing = await tickets.FileAsync(
            new TicketRequest(new UserRef("slack", "U2", "Sam", "America/New_York"), "Cannot reach the wiki", new ConversationAddress("slack", "C1")) { Priority = TicketPriority.P2 },
            TestContext.Current.CancellationToken);

        Assert.Contains("Sam: first response expected by Mon 23 Nov 04:00 (America/New_York)", filing.Reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewTicketForm_IsPreFilled_FromADraft()
    {
        await using var bot = await TestBot.StartAsync();
        var tickets = bot.Services.GetRequiredService<ITickets>();

        var form = tickets.NewTicketForm(new TicketDraft("How do I rotate the registry token?", Priority: TicketPriority.P4, IdempotencyKey: "q-17"));

        Assert.Equal("ticket.form", form.FormId);
        Assert.Equal("How do I rotate the registry token?", form.Fields.Single(f => f.Name == "title").Initial);
        Assert.Equal("P4", form.Fields.Single(f => f.Name == "priority").Initial);
        Assert.Equal("q-17", form.State);
    }

    [Fact]
    public async Task ConcurrentFilings_GetSequentialUniqueIds()
    {
        await using var bot = await TestBot.StartAsync();
        var tickets = bot.Services.GetRequiredService<ITickets>();

        var filings = await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() => tickets.FileAsync(
            new TicketRequest(new UserRef("dev", $"user{i}"), $"Issue {i}", new ConversationAddress("dev", "support")),
            TestContext.Current.CancellationToken))));

        Assert.Equal(
            Enumerable.Range(1, 200).Select(n => $"PLAT-{n}").Order(),
            filings.Select(f => f.Ticket!.Id).Order());
    }

    [Fact]
    public async Task ListAndShow_ShowWhatAPersonMaySee()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket p1 Production deploys fail");
        await bot.SayAsync("bob", "/ticket p4 Typo in the wiki");

        var mine = (string)One(await bot.SayAsync("alice", "/ticket list"))["text"]!;
        var open = (string)One(await bot.SayAsync("dana", "/ticket list open"))["text"]!;
        var show = (string)One(await bot.SayAsync("alice", "/ticket show PLAT-1"))["text"]!;

        Assert.Contains("PLAT-1", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("PLAT-2", mine, StringComparison.Ordinal);
        Assert.Contains("Open tickets (2)", open, StringComparison.Ordinal);
        Assert.True(open.IndexOf("PLAT-1", StringComparison.Ordinal) < open.IndexOf("PLAT-2", StringComparison.Ordinal)); // P1 first
        Assert.Contains("alice filed", show, StringComparison.Ordinal);
    }

    /// <summary>alice's P2 ticket PLAT-1 (first response: 1 h of office time), closed by her 10 min after filing, unanswered.</summary>
    private static async Task<TestBot> ClosedUnansweredAsync()
    {
        var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "/ticket p2 VPN drops every hour");
        bot.Time.Advance(TimeSpan.FromMinutes(10));
        await bot.SayAsync("alice", "/ticket close PLAT-1");
        return bot;
    }

    private static JsonNode One(JsonArray messages) => Assert.Single(messages)!;
}
