using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Events;
using PlatformBot.Features.Escalation;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Escalation;

/// <summary>
/// The real bot, tickets included, with escalation configured for tests: schedule <c>day</c> (dana, omar; daily 09:00
/// Berlin from Mon 23 Nov 2026), <c>backup</c> (priya; weekly), policy <c>page</c> for P1/P2 (day after 10 min → backup
/// after 15 min → lee after 20 min; pages at any hour) and <c>calm</c> for the rest (day, 30 min; P3/P4 wait for office
/// hours). SLA targets are days long so that the SLA sweep stays out of the way unless a test says otherwise.
/// </summary>
internal sealed class EscalationHarness : IAsyncDisposable
{
    private EscalationHarness(TestBot bot) => Bot = bot;

    public TestBot Bot { get; }

    public FakeTimeProvider Time => Bot.Time;

    public IServiceProvider Services => Bot.Services;

    public static Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Team:Agents:0"] = "dev:dana",
            ["Team:Agents:1"] = "dev:omar",
            ["Team:Admins:0"] = "dev:priya",
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
        foreach (var priority in EscalationBook.Priorities)
        {
            settings[$"Sla:Policies:{priority}:FirstResponse"] = "20.00:00:00";
            settings[$"Sla:Policies:{priority}:Resolution"] = "60.00:00:00";
            settings[$"Sla:Policies:{priority}:Calendar"] = "24x7";
        }

        return settings;
    }

    public static async Task<EscalationHarness> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new EscalationHarness(await TestBot.StartAsync(dataDirectory, time, all, services));
    }

    /// <summary>Files a ticket in #support through the dev chat, as a person would; returns its id.</summary>
    public async Task<string> FileAsync(string priority = "P1", string requester = "alice", string summary = "VPN is down", string? category = null)
    {
        var text = $"/ticket {summary} {priority.ToLowerInvariant()}" + (category is null ? string.Empty : " #" + category);
        var card = (await Bot.SayAsync(requester, text)).Single(m => m!["cardKey"] is not null)!;
        await SettleAsync();
        return ((string)card["cardKey"]!)["ticket:".Length..];
    }

    /// <summary>Publishes a domain event as the Tickets feature would (an SLA warning or breach), and lets it be handled.</summary>
    public async Task PublishAsync(IDomainEvent domainEvent)
    {
        var events = Services.GetRequiredService<IDomainEvents>();
        Services.GetRequiredService<PlatformDatabase>().InTransaction(() => events.Publish(domainEvent));
        events.Committed();
        await SettleAsync();
    }

    public Task BreachAsync(string ticketId, SlaMetric metric = SlaMetric.FirstResponse) =>
        PublishAsync(new SlaBreached(ticketId, metric, Ticket(ticketId).Priority, Time.GetUtcNow(), null, Time.GetUtcNow()));

    /// <summary>Lets time pass, then runs what Quartz and the dispatchers would: the escalation sweep, the event bus, the outbox.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await SweepAsync();
    }

    public async Task SweepAsync()
    {
        await Services.GetRequiredService<EscalationSweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await SettleAsync();
    }

    /// <summary>Runs the SLA sweep of the Tickets feature (warnings and breaches that came due), then what follows from it.</summary>
    public async Task SlaSweepAsync()
    {
        await Services.GetRequiredService<TicketSlaSweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await SettleAsync();
    }

    public async Task SettleAsync()
    {
        await Services.GetRequiredService<DomainEventBus>().DispatchPendingAsync(TestContext.Current.CancellationToken);
        await Services.GetRequiredService<IEscalationTickets>().FlushAsync(TestContext.Current.CancellationToken);
        await Bot.DeliverOutboxAsync();
        await Bot.DeliverOutboxAsync();
    }

    public TicketInfo Ticket(string id) => Services.GetRequiredService<ITickets>().Find(id)!;

    /// <summary>What escalation wrote into the ticket (its system comments, which are also in its audit trail).</summary>
    public IReadOnlyList<string> TicketNotes(string id) =>
        [.. Services.GetRequiredService<TicketService>().Get(id)!.Comments.Where(c => c.ByBot).Select(c => c.Text)];

    /// <summary>The pings a person has in their DM pane for a ticket.</summary>
    public async Task<List<JsonNode>> PingsAsync(string user, string ticketId = "PLAT-1") =>
        [.. (await Bot.ConversationAsync("dm:" + user, user)).Where(m => ((string?)m!["text"] ?? string.Empty).Contains($"Escalation: {ticketId} ", StringComparison.Ordinal)).Select(m => m!)];

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
        var card = messages.First(m => (string?)m!["cardKey"] == "ticket:" + ticketId)!;
        return [.. messages.Where(m => (string?)m!["threadId"] == (string?)card["id"]).Select(m => (string)m!["text"]!)];
    }

    public ValueTask DisposeAsync() => Bot.DisposeAsync();
}
