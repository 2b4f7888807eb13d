using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Storage;
using PlatformBot.Tests.Features.Sla;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Tickets;

/// <summary>
/// The ticket store's indexes: sparse ones in LiteDB (assignee, resolution, overdue), the rest in memory (breach time,
/// state, requester, filing time), rebuilt from the file at open; and a database from before either.
/// </summary>
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
            tickets.EnsureIndex(nameof(Ticket.BreachAt), "$." + nameof(Ticket.BreachAt));
            tickets.EnsureIndex(nameof(Ticket.State), "$." + nameof(Ticket.State));
            tickets.EnsureIndex("Requester", "$.Requester.Key");
            tickets.EnsureIndex(nameof(Ticket.CreatedAt), "$." + nameof(Ticket.CreatedAt));
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
        Assert.DoesNotContain(nameof(Ticket.BreachAt), expressions.Keys); // kept in memory now: no node per ticket filed
        Assert.DoesNotContain("Requester", expressions.Keys);
    }

    [Fact]
    public async Task AfterARestart_TheListsAreRebuiltFromTheFile_AndFollowEachChange()
    {
        using (var first = PlatformDatabase.Open(_path))
        {
            var store = new LiteDbTicketStore(first);
            await store.WriteAsync(() => Scenario().Select(store.Insert).ToList(), TestContext.Current.CancellationToken);
        }

        using var database = PlatformDatabase.Open(_path);
        var reopened = new LiteDbTicketStore(database);
        AssertFinds(reopened);

        var fresh = reopened.Find("PLAT-1")!;
        fresh.Resolve(Dana, Monday9.AddDays(3), Sla);
        await reopened.WriteAsync(() =>
        {
            reopened.Update(fresh);
            return true;
        }, TestContext.Current.CancellationToken);

        var now = Monday9.AddDays(3);
        Assert.Equal(["PLAT-2"], reopened.List(TicketListKind.Mine, Alice.Key, now, 10).Tickets.Select(t => t.Id));
        Assert.Equal("PLAT-2 (1)", ListIds(reopened, TicketListKind.Open, now));
        Assert.Equal("PLAT-3 PLAT-2 PLAT-1 (3)", ListIds(reopened, TicketListKind.All, now));
        fresh.Reopen(now.AddMinutes(5), Sla);
        await reopened.WriteAsync(() =>
        {
            reopened.Update(fresh);
            return true;
        }, TestContext.Current.CancellationToken);
        Assert.Equal(2, reopened.List(TicketListKind.Open, null, now, 10).Total);
    }

    [Fact]
    public async Task TicketsWrittenByTheStore_AreFoundThroughTheSparseIndexes()
    {
        using var database = PlatformDatabase.Open(_path);
        var store = new LiteDbTicketStore(database);
        await store.WriteAsync(() => Scenario().Select(store.Insert).ToList(), TestContext.Current.CancellationToken);

        AssertFinds(store);
    }

    [Fact]
    public async Task AfterARestart_NumbersGoOn_AKeyStillFindsItsTicket_AndTheSweepStillFindsWhatIsDue()
    {
        using (var first = PlatformDatabase.Open(_path))
        {
            var store = new LiteDbTicketStore(first);
            await store.WriteAsync(() => Scenario().Select(store.Insert).ToList(), TestContext.Current.CancellationToken);
            await store.WriteAsync(() => store.Insert(Numbered(store, "alice|message:1")), TestContext.Current.CancellationToken); // PLAT-4
        }

        using var database = PlatformDatabase.Open(_path);
        var reopened = new LiteDbTicketStore(database);

        Assert.Equal("PLAT-4", reopened.FindByIdempotencyKey("alice|message:1")?.Id);
        Assert.Null(reopened.FindByIdempotencyKey("alice|message:2"));
        Assert.False(await reopened.WriteAsync(() => reopened.Insert(Numbered(reopened, "alice|message:1")), TestContext.Current.CancellationToken));
        Assert.Equal(6, await reopened.WriteAsync(() => reopened.AllocateNumber("PLAT"), TestContext.Current.CancellationToken)); // 5 went to the refused one
        Assert.Equal(1, await reopened.WriteAsync(() => reopened.AllocateNumber("OPS"), TestContext.Current.CancellationToken));

        // Nothing is due at the moment of filing; the next due time is the earliest first-response warning, read from memory.
        var pending = new[] { "PLAT-1", "PLAT-2", "PLAT-4" }.Select(id => reopened.Find(id)!.SweepAt).ToList();
        Assert.Empty(reopened.DueForSweep(Monday9, 10));
        Assert.Equal(pending.Min(), reopened.NextSweepAt(Monday9));
        Assert.True(pending.Min() > Monday9);

        // Three days later the untouched PLAT-1 and PLAT-4 are due, earliest first; PLAT-2's alerts up to then were raised
        // already and PLAT-3 is resolved.
        var due = reopened.DueForSweep(Monday9.AddDays(3), 10);
        Assert.Equal(["PLAT-1", "PLAT-4"], due.Order());
        Assert.True(reopened.Find("PLAT-2")!.SweepAt > Monday9.AddDays(3));
        Assert.Equal(due.Select(id => reopened.Find(id)!.SweepAt).Order(), due.Select(id => reopened.Find(id)!.SweepAt));
    }

    [Fact]
    public async Task AFilingThatRollsBack_LeavesNoTicket_AndItsKeyFilesAgain_UnderANewNumber()
    {
        using var database = PlatformDatabase.Open(_path);
        var store = new LiteDbTicketStore(database);

        Assert.Throws<InvalidOperationException>(() => database.InTransaction(() =>
        {
            store.Insert(Numbered(store, "alice|form:1"));
            store.Insert(Numbered(store, "alice|form:2"));
            Assert.Equal("PLAT-1", store.FindByIdempotencyKey("alice|form:1")?.Id); // seen inside its own transaction
            throw new InvalidOperationException("disk full");
        }));

        Assert.Null(store.FindByIdempotencyKey("alice|form:1"));
        Assert.Null(store.Find("PLAT-1"));
        var again = Numbered(store, "alice|form:1");
        Assert.True(await store.WriteAsync(() => store.Insert(again), TestContext.Current.CancellationToken));
        Assert.Equal("PLAT-3", again.Id); // numbers are not given back: a gap, never a second PLAT-n
        Assert.Equal("PLAT-3", store.FindByIdempotencyKey("alice|form:1")?.Id);
        Assert.False(await store.WriteAsync(() => store.Insert(Numbered(store, "alice|form:1")), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ADatabaseWithTheOldNumberAndKeyCollections_GoesOnFromTheirNumbers_AndKeepsItsKeys()
    {
        using (var old = PlatformDatabase.Open(_path))
        {
            var ticket = Filed(7, Monday9);
            ticket.IdempotencyKey = "alice|message:7";
            ticket.RefreshIndexes();
            old.Database.GetCollection("tickets").Insert(TicketMapping.Mapper.ToDocument(ticket));
            old.Database.GetCollection("ticket_keys").Insert(new BsonDocument { ["_id"] = "alice|message:7", ["ticket"] = "PLAT-7" });
            old.Database.GetCollection("ticket_sequences").Insert(new BsonDocument { ["_id"] = "PLAT", ["next"] = 40 }); // later ones were deleted by hand
        }

        using (var upgraded = PlatformDatabase.Open(_path))
        {
            var store = new LiteDbTicketStore(upgraded);
            Assert.Equal(40, await store.WriteAsync(() => store.AllocateNumber("PLAT"), TestContext.Current.CancellationToken));
            Assert.Equal("PLAT-7", store.FindByIdempotencyKey("alice|message:7")?.Id);
            Assert.DoesNotContain("ticket_keys", upgraded.Database.GetCollectionNames());
        }

        // Started again with no ticket filed since: the old floor still holds (PLAT-8 to PLAT-39 were deleted tickets').
        using var database = PlatformDatabase.Open(_path);
        var reopened = new LiteDbTicketStore(database);
        Assert.Equal(40, await reopened.WriteAsync(() => reopened.AllocateNumber("plat"), TestContext.Current.CancellationToken)); // prefixes ignore case, as ids do
        Assert.Equal("PLAT-7", reopened.FindByIdempotencyKey("alice|message:7")?.Id);
    }

    /// <summary>A new ticket numbered by the store, as TicketService files one, with an idempotency key.</summary>
    private static Ticket Numbered(LiteDbTicketStore store, string key)
    {
        var number = store.AllocateNumber("PLAT");
        var ticket = Filed(number, Monday9);
        ticket.IdempotencyKey = key;
        return ticket;
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
        Assert.Equal(2, store.List(TicketListKind.Open, null, now, 1).Total);
        Assert.Single(store.List(TicketListKind.Open, null, now, 1).Tickets);
        Assert.Equal("PLAT-3 PLAT-2 PLAT-1 (3)", ListIds(store, TicketListKind.All, now));
        Assert.Equal(["PLAT-1", "PLAT-2", "PLAT-3"], store.FiledBetween(Monday9, Monday9.AddMinutes(1)).Select(t => t.Id));
        Assert.Empty(store.FiledBetween(Monday9.AddMinutes(1), Monday9.AddDays(1)));
        Assert.Equal(["PLAT-1", "PLAT-2"], store.BreachingBefore(Monday9.AddDays(30), 10).Select(t => t.Id)); // first response, then PLAT-2's resolution
        Assert.Empty(store.BreachingBefore(Monday9, 10)); // nothing is due at the moment it was filed
        Assert.Empty(store.ResolvedBetween(Monday9.AddDays(1), Monday9.AddDays(2)));
    }

    /// <summary>The list's ids, in its order, and its total: "PLAT-3 PLAT-2 PLAT-1 (3)".</summary>
    private static string ListIds(LiteDbTicketStore store, TicketListKind kind, DateTimeOffset now)
    {
        var (tickets, total) = store.List(kind, null, now, 10);
        return $"{string.Join(' ', tickets.Select(t => t.Id))} ({total})";
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
