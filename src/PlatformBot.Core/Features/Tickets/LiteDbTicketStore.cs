using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// Tickets in the platform database (collection <c>tickets</c>, indexed in LiteDB, sparsely, by assignee, resolution
/// time and overdue; in memory by breach time, state, requester, filing time and the sweep's due time:
/// <see cref="TicketIndex"/>, by idempotency key: <see cref="HashedKeys{T}"/>, and the next number per prefix). All
/// writes go through one writer that groups whatever is queued into one transaction (group commit): each commit costs a flush to disk (about 2 ms here), so one commit per ticket would
/// cap creation near 500 per second, while a shared commit keeps every caller's write durable before it is answered.
/// </summary>
internal sealed class LiteDbTicketStore : ITicketStore
{
    private readonly ILiteCollection<BsonDocument> _tickets;
    private readonly GroupCommit _writer;
    private readonly TicketIndex _index = new();
    private readonly HashedKeys<string> _keys = new(); // ticket ids by idempotency key

    // The next ticket number per prefix, in memory: at open, past the highest number in the file and the floor kept by
    // versions before (ticket_sequences). A number is never given back: a filing that rolls back leaves a gap. (Giving
    // it back was wrong whenever the rollback was not total, as when the commit reached LiteDB but the flush to disk
    // failed: the next filing took the same id, failed, gave it back, and so on.) Prefixes compare as LiteDB's ids do,
    // ignoring case, so "plat" goes on from "PLAT".
    private readonly Lock _numbers = new();
    private readonly Dictionary<string, int> _nextNumber = new(StringComparer.OrdinalIgnoreCase);

    // The earliest SweepAt in the store, kept in memory so an idle sweep answers without a query: lowered after each
    // commit by what the commit wrote, recomputed by the sweep when it finds nothing due. Lowerings that happen while
    // the sweep recomputes are kept (_loweredMeanwhile), so a new earlier due time is never lost to a stale answer.
    private readonly Lock _next = new();
    private long _nextSweepTicks = long.MinValue;
    private long _loweredMeanwhile = long.MaxValue;

    public LiteDbTicketStore(PlatformDatabase database)
    {
        _tickets = database.Database.GetCollection("tickets");
        foreach (var moved in (string[])[nameof(Ticket.BreachAt), nameof(Ticket.State), "Requester", nameof(Ticket.CreatedAt), nameof(Ticket.SweepAt)])
        {
            _tickets.DropIndex(moved); // kept in memory now (TicketIndex); a database from before has them in the file
        }

        foreach (var document in _tickets.Query().Select(TicketIndex.Fields).ToDocuments())
        {
            _index.Set(document);
            var id = document["_id"].AsString;
            if (document["IdempotencyKey"] is { IsString: true } key)
            {
                _keys.Add(key.AsString, id);
            }

            if (document["Number"] is { IsInt32: true } number)
            {
                FollowId(id, number.AsInt32);
            }
        }

        // A database from before kept the next numbers and the keys in collections of their own. The tickets hold the
        // keys; the numbers are kept as a floor, read at every start (numbers past the highest ticket were taken by
        // tickets deleted since, and must not come back), and no longer written.
        foreach (var row in database.Database.GetCollection("ticket_sequences").FindAll())
        {
            Follow(row["_id"].AsString, row["next"].AsInt32 - 1);
        }

        database.Database.DropCollection("ticket_keys");

        SparseIndex.Ensure(database.Database, "tickets", "Assignee", AssigneeIndex);
        SparseIndex.Ensure(database.Database, "tickets", nameof(Ticket.ResolvedAt), ResolvedAtIndex);
        SparseIndex.Ensure(database.Database, "tickets", nameof(Ticket.Overdue), OverdueIndex);

        _writer = database.Writes;
    }

    /// <summary>Raised after a commit that wrote a due time sooner than any known before (<see cref="SlaWakeUp"/>).</summary>
    public event Action<DateTimeOffset>? DueSooner;

    /// <summary>
    /// When the sweep next has work: now while it is unknown or due, else the earliest SweepAt; null when nothing is
    /// pending. Answered from memory once a sweep found nothing due.
    /// </summary>
    public DateTimeOffset? NextSweepAt(DateTimeOffset now)
    {
        long next;
        lock (_next)
        {
            next = _nextSweepTicks;
        }

        return next <= now.UtcTicks ? now : next >= Ticket.Never.UtcTicks ? null : new DateTimeOffset(next, TimeSpan.Zero);
    }

    public Task<T> WriteAsync<T>(Func<T> work, CancellationToken cancellationToken) => _writer.WriteAsync(work).WaitAsync(cancellationToken);

    public Ticket? Find(string id) => ById(id);

    public Ticket? FindByIdempotencyKey(string key)
    {
        foreach (var id in _keys.Candidates(key))
        {
            if (_tickets.FindById(id) is { } document && document["IdempotencyKey"] is { IsString: true } held && held.AsString == key)
            {
                // Filed before: make sure it is indexed, which its first filing may have missed (a commit that reached
                // the file and then failed to flush is run again, and finds it here).
                PlatformDatabase.AfterCommit(() => _index.Set(document));
                return Read(document);
            }
        }

        return null;
    }

    public void Reindex(string id)
    {
        var document = _tickets.FindById(id);
        PlatformDatabase.AfterCommit(() =>
        {
            if (document is not null)
            {
                _index.Set(document);
            }
            else
            {
                _index.Remove(id);
            }
        });
    }

    /// <summary>
    /// Walks an index in order and stops after <paramref name="max"/> matches, so a list stays quick with 100,000 open
    /// tickets: open ones by the clock that breaches first, all ones newest first, breaching ones overdue first.
    /// </summary>
    public (IReadOnlyList<Ticket> Tickets, int Total) List(TicketListKind kind, string? userKey, DateTimeOffset now, int max)
    {
        switch (kind)
        {
            case TicketListKind.Mine:
                var mine = _index.OpenRequestedBy(userKey ?? "").Select(ById)
                    .Concat(_tickets.Find(Filter.Any(AssigneeIndex, userKey)).Select(d => Read(d)))
                    .OfType<Ticket>()
                    .DistinctBy(t => t.Id)
                    .Where(t => t.IsOpen)
                    .OrderBy(t => t.BreachAt)
                    .ThenBy(t => t.Number)
                    .ToList();
                return ([.. mine.Take(max)], mine.Count);
            case TicketListKind.Open:
                return (Tickets(_index.OpenByBreach(max)), _index.OpenCount);
            case TicketListKind.Breaching:
                var soon = _index.OpenBreachingBy(Ticks(now.AddHours(1)), int.MaxValue).Select(ById).OfType<Ticket>();
                var breaching = _tickets.Find(Filter.Any(OverdueIndex, true)).Select(d => Read(d)!).Concat(soon).DistinctBy(t => t.Id).ToList();
                return ([.. breaching.Take(max)], breaching.Count);
            default:
                return (Tickets(_index.NewestFirst(max)), _index.Count);
        }
    }

    public IReadOnlyList<string> DueForSweep(DateTimeOffset now, int max)
    {
        lock (_next)
        {
            if (now.UtcTicks < _nextSweepTicks)
            {
                return [];
            }

            _loweredMeanwhile = long.MaxValue;
        }

        var due = _index.DueForSweep(Ticks(now), max);
        if (due.Count == 0)
        {
            var next = _index.NextSweep();
            lock (_next)
            {
                _nextSweepTicks = Math.Min(next, _loweredMeanwhile);
            }
        }

        return due;
    }

    public IReadOnlyList<Ticket> BreachingBefore(DateTimeOffset before, int max) => Tickets(_index.OpenBreachingBy(Ticks(before), max));

    public IReadOnlyList<Ticket> FiledBetween(DateTimeOffset from, DateTimeOffset to) => Tickets(_index.FiledBetween(Ticks(from), Ticks(to)));

    public IReadOnlyList<Ticket> ResolvedBetween(DateTimeOffset from, DateTimeOffset to) =>
        [.. _tickets.Find(Filter.AnyRange(ResolvedAtIndex, new BsonValue(Ticks(from)), new BsonValue(Ticks(to)))).Select(d => Read(d)!)];

    public int AllocateNumber(string prefix)
    {
        lock (_numbers)
        {
            var number = _nextNumber.GetValueOrDefault(prefix, 1);
            _nextNumber[prefix] = number + 1;
            return number;
        }
    }

    public bool Insert(Ticket ticket)
    {
        ticket.RefreshIndexes();
        if (!Insert(TicketMapping.Mapper.ToDocument(ticket), ticket.Id, ticket.IdempotencyKey, ticket.SweepAt))
        {
            return false;
        }

        FollowId(ticket.Id, ticket.Number); // numbered by its caller (an import): the store's own come after it
        return true;
    }

    public PreparedTicket Prepare(Ticket ticket)
    {
        ticket.RefreshIndexes();
        return new PreparedTicket(TicketMapping.Mapper.ToDocument(ticket), ticket.IdempotencyKey, ticket.SweepAt);
    }

    public bool Insert(PreparedTicket ticket, string id, int number)
    {
        var document = (BsonDocument)ticket.Document;
        document["_id"] = id;
        document[nameof(Ticket.Number)] = number;
        return Insert(document, id, ticket.IdempotencyKey, ticket.SweepAt);
    }

    public void Update(Ticket ticket)
    {
        ticket.RefreshIndexes();
        var document = TicketMapping.Mapper.ToDocument(ticket);
        _tickets.Update(document);
        PlatformDatabase.AfterCommit(() => _index.Set(document));
        LowerAfterCommit(Ticks(ticket.SweepAt));
    }

    private bool Insert(BsonDocument document, string id, string? idempotencyKey, DateTimeOffset sweepAt)
    {
        if (idempotencyKey is not null)
        {
            if (FindByIdempotencyKey(idempotencyKey) is not null)
            {
                return false;
            }

            // At once, not after the commit: a second filing with the key in the same batch must find this one.
            _keys.Add(idempotencyKey, id);
        }

        _tickets.Insert(document);
        PlatformDatabase.AfterCommit(() => _index.Set(document));
        LowerAfterCommit(Ticks(sweepAt));
        return true;
    }

    // Sparse (SparseIndex): a new ticket has no assignee, no resolution and is not overdue, so filing one adds no node here.
    private static readonly string AssigneeIndex = SparseIndex.NonNull("$.Assignee.Key");
    private static readonly string ResolvedAtIndex = SparseIndex.NonNull("$." + nameof(Ticket.ResolvedAt));
    private const string OverdueIndex = "FILTER(ITEMS([$." + nameof(Ticket.Overdue) + "]) => @ = true)";

    private static long Ticks(DateTimeOffset at) => at.UtcTicks;

    /// <summary>Makes sure the next number for the ticket id's prefix (<c>PLAT</c> of <c>PLAT-42</c>) comes after its number.</summary>
    private void FollowId(string id, int number)
    {
        if (id.LastIndexOf('-') is > 0 and var dash)
        {
            Follow(id[..dash], number);
        }
    }

    /// <summary>Makes sure the next number for the prefix comes after <paramref name="taken"/>.</summary>
    private void Follow(string prefix, int taken)
    {
        lock (_numbers)
        {
            _nextNumber[prefix] = Math.Max(_nextNumber.GetValueOrDefault(prefix, 1), taken + 1);
        }
    }

    private static Ticket? Read(BsonDocument? document) => document is null ? null : TicketMapping.Mapper.ToObject<Ticket>(document);

    private Ticket? ById(string id) => Read(_tickets.ById(id));

    private List<Ticket> Tickets(List<string> ids) => [.. ids.Select(ById).OfType<Ticket>()];

    /// <summary>Once the write's transaction committed: a sweep that reads from then on sees what lowered its due time.</summary>
    private void LowerAfterCommit(long sweepTicks)
    {
        if (sweepTicks < Ticket.Never.UtcTicks)
        {
            PlatformDatabase.AfterCommit(() => Lower(sweepTicks));
        }
    }

    private void Lower(long sweepTicks)
    {
        bool sooner;
        lock (_next)
        {
            sooner = sweepTicks < _nextSweepTicks;
            _nextSweepTicks = Math.Min(_nextSweepTicks, sweepTicks);
            _loweredMeanwhile = Math.Min(_loweredMeanwhile, sweepTicks);
        }

        if (sooner && sweepTicks < Ticket.Never.UtcTicks)
        {
            DueSooner?.Invoke(new DateTimeOffset(sweepTicks, TimeSpan.Zero));
        }
    }
}

/// <summary>The tickets' own BSON mapping: instants as UTC ticks (LiteDB's DateTime would come back in local time).</summary>
internal static class TicketMapping
{
    public static readonly BsonMapper Mapper = Create();

    private static BsonMapper Create()
    {
        var mapper = new BsonMapper();
        mapper.RegisterType<DateTimeOffset>(d => new BsonValue(d.UtcTicks), b => new DateTimeOffset(b.AsInt64, TimeSpan.Zero));
        mapper.RegisterType<TimeSpan>(t => new BsonValue(t.Ticks), b => new TimeSpan(b.AsInt64));
        mapper.Entity<Ticket>()
            .Ignore(t => t.IsOpen)
            .Ignore(t => t.CardKey)
            .Ignore(t => t.FirstResponseCancelled);
        mapper.Entity<Sla.SlaTimer>().Ignore(t => t.IsRunning);
        return mapper;
    }
}
