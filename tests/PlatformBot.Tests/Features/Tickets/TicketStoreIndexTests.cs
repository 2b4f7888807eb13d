using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Storage;
using PlatformBot.Tests.Features.Sla;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Tickets;

/// <summary>The ticket store's sparse indexes (assignee, resolution, overdue), and a database from before they were sparse.</summary>
public sealed class TicketStoreIndexTests
{
    private static readonly SlaSettings Sla = SlaSettings.From(SlaOptionsTests.Valid());
    private static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly UserRef Alice = new("dev", "alice");
    private static readonly UserRef Dana = new("dev", "dana");

    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot.db");

    [Fact]
    public void ADatabaseWithTheOldFullIndexes_IsMigrated_AndAssignedResolvedAndOverdueTicketsAreStillFound()
    {
        using (var old = PlatformDatabase.Open(_path))
        {
            var tickets = old.Database.GetCollection("tickets");
            tickets.EnsureIndex("Assignee", "$.Assignee.Key");
            tickets.EnsureIndex(nameof(Ticket.ResolvedAt), "$." + nameof(Ticket.ResolvedAt));
            tickets.EnsureIndex(nameof(Ticket.Overdue), "$." + nameof(Ticket.Overdue));
            foreach (var ticket in Scenario())
            {
                ticket.RefreshIndexes();
                tickets.Insert(TicketMapping.Mapper.ToDocument(ticket));
            }
        }

        using var database = PlatformDatabase.Open(_path);
        var store = new LiteDbTicketStore(database);

        AssertFinds(store);
        var expressions = database.Database.GetCollection("$indexes").Find(Filter.Eq("collection", "tickets")).ToDictionary(i => i["name"].AsString, i => i["expression"].AsString);
        Assert.StartsWith("FILTER(", expressions["Assignee"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketsWrittenByTheStore_AreFoundThroughTheSparseIndexes()
    {
        using var database = PlatformDatabase.Open(_path);
        var store = new LiteDbTicketStore(database);
        await store.WriteAsync(() => Scenario().Select(store.Insert).ToList(), TestContext.Current.CancellationToken);

        AssertFinds(store);
    }

    /// <summary>PLAT-1 new (no assignee, not resolved), PLAT-2 assigned to dana and overdue, PLAT-3 resolved by dana.</summary>
    private static List<Ticket> Scenario()
    {
        var fresh = Filed(1, Monday9);
        var overdue = Filed(2, Monday9);
        overdue.Assign(Dana, Monday9.AddMinutes(5));
        foreach (var timer in overdue.Timers.Where(t => t.IsRunning))
        {
            while (timer.TakeDue(Monday9.AddDays(3), Sla.Calendar(timer.Calendar), Sla.WarnAt) is not null)
            {
            }
        }

        var resolved = Filed(3, Monday9);
        resolved.Resolve(Dana, Monday9.AddHours(2), Sla);
        return [fresh, overdue, resolved];
    }

    private static void AssertFinds(LiteDbTicketStore store)
    {
        var now = Monday9.AddDays(3);
        Assert.Equal(["PLAT-2"], store.List(TicketListKind.Mine, Dana.Key, now, 10).Tickets.Select(t => t.Id));
        Assert.Equal(["PLAT-1", "PLAT-2"], store.List(TicketListKind.Mine, Alice.Key, now, 10).Tickets.Select(t => t.Id).Order()); // alice filed all three; two are open
        Assert.Contains("PLAT-2", store.List(TicketListKind.Breaching, null, now, 10).Tickets.Select(t => t.Id));
        Assert.Equal(["PLAT-3"], store.ResolvedBetween(Monday9, Monday9.AddDays(1)).Select(t => t.Id));
        Assert.Empty(store.ResolvedBetween(Monday9.AddDays(1), Monday9.AddDays(2)));
    }

    private static Ticket Filed(int number, DateTimeOffset at)
    {
        var ticket = new Ticket
        {
            Id = $"PLAT-{number}",
            Number = number,
            Summary = "VPN is down",
            Priority = TicketPriority.P3,
            Requester = TicketPerson.Of(Alice),
            FiledBy = TicketPerson.Of(Alice),
            CreatedAt = at,
        };
        ticket.StartClocks(at, Sla);
        return ticket;
    }
}
