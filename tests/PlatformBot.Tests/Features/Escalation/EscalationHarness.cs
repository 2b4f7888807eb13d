using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Features.Escalation;
using PlatformBot.Outbox;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Escalation;

/// <summary>Tickets as escalation sees them, for tests that drive chains directly.</summary>
internal sealed class StubTickets : IEscalationTickets
{
    public ConcurrentDictionary<string, TicketFacts> Tickets { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> AuditTrail { get; } = new();

    public ConcurrentQueue<(string Ticket, string By)> Acknowledgements { get; } = new();

    public TicketFacts? Find(string ticketId) => Tickets.GetValueOrDefault(ticketId);

    public void RecordAcknowledgement(string ticketId, UserRef by, DateTimeOffset at) => Acknowledgements.Enqueue((ticketId, by.Key));

    public void Audit(string ticketId, UserRef? by, string text, DateTimeOffset at) => AuditTrail.Enqueue($"{ticketId}: {text}");

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The real bot with escalation configured for tests: schedule <c>day</c> (dana, omar; daily 09:00 Berlin from Mon 23 Nov
/// 2026), <c>backup</c> (priya; weekly), policy <c>page</c> for P1/P2 (day after 10 min → backup after 15 min → lee after
/// 20 min; pages at any hour) and <c>calm</c> for the rest (day, 30 min; P3/P4 wait for office hours).
/// </summary>
internal sealed class EscalationHarness : IAsyncDisposable
{
    private EscalationHarness(TestBot bot, StubTickets tickets)
    {
        Bot = bot;
        Tickets = tickets;
    }

    public TestBot Bot { get; }

    public StubTickets Tickets { get; }

    public FakeTimeProvider Time => Bot.Time;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Team:Agents:0"] = "dana",
        ["Team:Agents:1"] = "omar",
        ["Team:Admins:0"] = "priya",
        ["OnCall:Schedules:day:TimeZone"] = "Europe/Berlin",
        ["OnCall:Schedules:day:Members:0"] = "dana",
        ["OnCall:Schedules:day:Members:1"] = "omar",
        ["OnCall:Schedules:day:Rotation"] = "daily",
        ["OnCall:Schedules:day:HandoffTime"] = "09:00",
        ["OnCall:Schedules:day:Start"] = "2026-11-23",
        ["OnCall:Schedules:backup:TimeZone"] = "Europe/Berlin",
        ["OnCall:Schedules:backup:Members:0"] = "priya",
        ["OnCall:Schedules:backup:Rotation"] = "weekly",
        ["OnCall:Schedules:backup:HandoffDay"] = "Monday",
        ["OnCall:Schedules:backup:HandoffTime"] = "09:00",
        ["OnCall:Schedules:backup:Start"] = "2026-11-02",
        ["Escalation:Policies:page:Levels:0:Targets:0"] = "schedule:day",
        ["Escalation:Policies:page:Levels:0:After"] = "00:10:00",
        ["Escalation:Policies:page:Levels:1:Targets:0"] = "schedule:backup",
        ["Escalation:Policies:page:Levels:1:After"] = "00:15:00",
        ["Escalation:Policies:page:Levels:2:Targets:0"] = "user:lee",
        ["Escalation:Policies:page:Levels:2:After"] = "00:20:00",
        ["Escalation:Policies:page:AfterHours"] = "page",
        ["Escalation:Policies:calm:Levels:0:Targets:0"] = "schedule:day",
        ["Escalation:Policies:calm:Levels:0:After"] = "00:30:00",
        ["Escalation:Policies:calm:AfterHours"] = "wait",
        ["Escalation:Rules:0:Priority"] = "P1",
        ["Escalation:Rules:0:Policy"] = "page",
        ["Escalation:Rules:1:Priority"] = "P2",
        ["Escalation:Rules:1:Policy"] = "page",
        ["Escalation:DefaultPolicy"] = "calm",
        ["Escalation:Calendar"] = "testoffice",
        ["Sla:Calendars:testoffice:TimeZone"] = "Europe/Berlin",
        ["Sla:Calendars:testoffice:WorkingHours:Mon-Fri"] = "09:00-17:00",
    };

    public static async Task<EscalationHarness> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        FakeTimeProvider? time = null,
        StubTickets? tickets = null,
        Action<IServiceCollection>? services = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        tickets ??= new StubTickets();
        var bot = await TestBot.StartAsync(dataDirectory, time, all, s =>
        {
            s.AddSingleton<IEscalationTickets>(tickets);
            services?.Invoke(s);
        });
        return new EscalationHarness(bot, tickets);
    }

    /// <summary>A ticket, with its card posted in #support so its thread exists.</summary>
    public async Task<TicketFacts> FileAsync(string id, string priority = "P1", string requester = "alice", string summary = "VPN is down", string? category = null)
    {
        var ticket = new TicketFacts(id, summary, priority, category, "first response due in 30 min", new UserRef(PlatformBot.Conversations.Channels.DevChat, requester), IsOpen: true);
        Tickets.Tickets[id] = ticket;
        Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage(
            "test-card:" + id,
            new ToConversation(new ConversationAddress(PlatformBot.Conversations.Channels.DevChat, "support")),
            Reply.Text(Md.Text($"*{id}* {summary}")) with { CardKey = TicketCards.Key(id) }));
        await Bot.DeliverOutboxAsync();
        return ticket;
    }

    public StartResult Trigger(TicketFacts ticket, string trigger = "created", string why = "P1 ticket filed") =>
        Services.GetRequiredService<EscalationEngine>().Start(ticket, trigger, why);

    /// <summary>Lets time pass, then runs the escalation sweep and the outbox as Quartz and the dispatcher would.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await SweepAsync();
    }

    public async Task SweepAsync()
    {
        await Services.GetRequiredService<EscalationSweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await Bot.DeliverOutboxAsync();
    }

    /// <summary>The pings a person has in their DM pane for a ticket.</summary>
    public async Task<List<JsonNode>> PingsAsync(string user, string ticketId = "PLAT-1") =>
        [.. (await Bot.ConversationAsync("dm:" + user, user)).Where(m => ((string?)m!["text"] ?? string.Empty).Contains($"Escalation: {ticketId}", StringComparison.Ordinal)).Select(m => m!)];

    /// <summary>How many pings each person has for the ticket, in the order asked.</summary>
    public async Task<int[]> CountsAsync(string ticketId, params string[] users)
    {
        var counts = new int[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            counts[i] = (await PingsAsync(users[i], ticketId)).Count;
        }

        return counts;
    }

    /// <summary>The bot's lines in a ticket's thread in #support.</summary>
    public async Task<List<string>> ThreadAsync(string ticketId = "PLAT-1")
    {
        var messages = await Bot.ConversationAsync("support");
        var card = messages.First(m => (string?)m!["cardKey"] == TicketCards.Key(ticketId))!;
        return [.. messages.Where(m => (string?)m!["threadId"] == (string?)card["id"]).Select(m => (string)m!["text"]!)];
    }

    public IServiceProvider Services => Bot.Services;

    public ValueTask DisposeAsync() => Bot.DisposeAsync();
}
