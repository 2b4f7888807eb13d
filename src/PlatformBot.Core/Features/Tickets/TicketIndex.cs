using LiteDB;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// The tickets' secondary keys kept in memory instead of in LiteDB: open tickets by breach time and by requester, all
/// tickets by filing time, the open count, and the tickets whose SLA sweep has work by when. A LiteDB index costs every
/// ticket filed a node in a skip list, its pages copied, logged and checkpointed: these were about a fifth of the CPU
/// per message under the Teams load. Built from the documents when the store opens (one scan), then kept by the store
/// after each commit. About 250 bytes per ticket.
/// </summary>
internal sealed class TicketIndex
{
    private static readonly long Never = Ticket.Never.UtcTicks;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly SortedSet<Key> _openByBreach = new(KeyOrder.Instance);
    private readonly SortedSet<Key> _byCreated = new(KeyOrder.Instance);
    private readonly SortedSet<Key> _bySweep = new(KeyOrder.Instance);
    private readonly Dictionary<string, HashSet<string>> _openByRequester = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _openByBreach.Count;
            }
        }
    }

    /// <summary>The fields this index reads from a ticket's document.</summary>
    public static BsonExpression Fields { get; } = BsonExpression.Create(
        "{ _id: $._id, Number: $.Number, BreachAt: $.BreachAt, State: $.State, Requester: { Key: $.Requester.Key }, CreatedAt: $.CreatedAt, SweepAt: $.SweepAt, IdempotencyKey: $.IdempotencyKey }");

    public void Set(BsonDocument document)
    {
        var id = document["_id"].AsString;
        var entry = new Entry(
            document["Number"].AsInt32,
            document["BreachAt"].IsNull ? Never : document["BreachAt"].AsInt64,
            document["State"].AsString is not (nameof(TicketState.Resolved) or nameof(TicketState.Closed)),
            document["Requester"]["Key"].AsString,
            document["CreatedAt"].AsInt64,
            document["SweepAt"].IsNull ? Never : document["SweepAt"].AsInt64);
        lock (_lock)
        {
            Forget(id);
            _byId[id] = entry;
            _byCreated.Add(new Key(entry.CreatedAt, entry.Number, id));
            if (entry.SweepAt < Never)
            {
                _bySweep.Add(new Key(entry.SweepAt, entry.Number, id));
            }

            if (entry.Open)
            {
                _openByBreach.Add(new Key(entry.BreachAt, entry.Number, id));
                if (!_openByRequester.TryGetValue(entry.Requester, out var ids))
                {
                    _openByRequester[entry.Requester] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(id);
            }
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            Forget(id);
        }
    }

    /// <summary>Open tickets by the clock that breaches first (a ticket with no running clock last), up to <paramref name="max"/>.</summary>
    public List<string> OpenByBreach(int max)
    {
        lock (_lock)
        {
            return [.. _openByBreach.Take(max).Select(k => k.Id)];
        }
    }

    /// <summary>Open tickets whose next breach is at or before <paramref name="before"/>, earliest first.</summary>
    public List<string> OpenBreachingBy(long before, int max)
    {
        lock (_lock)
        {
            return UpTo(_openByBreach, before, max);
        }
    }

    public List<string> OpenRequestedBy(string userKey)
    {
        lock (_lock)
        {
            return _openByRequester.TryGetValue(userKey, out var ids) ? [.. ids] : [];
        }
    }

    public List<string> NewestFirst(int max)
    {
        lock (_lock)
        {
            return [.. _byCreated.Reverse().Take(max).Select(k => k.Id)];
        }
    }

    /// <summary>Tickets filed in [from, to), in filing order.</summary>
    public List<string> FiledBetween(long from, long to)
    {
        if (to <= from)
        {
            return [];
        }

        lock (_lock)
        {
            return [.. _byCreated.GetViewBetween(new Key(from, int.MinValue, ""), new Key(to - 1, int.MaxValue, "\uffff")).Select(k => k.Id)];
        }
    }

    /// <summary>Tickets whose sweep has work at or before <paramref name="at"/>, earliest first.</summary>
    public List<string> DueForSweep(long at, int max)
    {
        lock (_lock)
        {
            return UpTo(_bySweep, at, max);
        }
    }

    /// <summary>The earliest time a sweep has work; <see cref="long.MaxValue"/> when none has.</summary>
    public long NextSweep()
    {
        lock (_lock)
        {
            return _bySweep.Count == 0 ? long.MaxValue : _bySweep.Min.At;
        }
    }

    /// <summary>The ids in <paramref name="set"/> up to and including <paramref name="at"/>, earliest first, at most <paramref name="max"/>.</summary>
    private static List<string> UpTo(SortedSet<Key> set, long at, int max) =>
        [.. set.GetViewBetween(new Key(long.MinValue, int.MinValue, ""), new Key(at, int.MaxValue, "\uffff")).Take(max).Select(k => k.Id)];

    /// <summary>Takes the ticket out of every set (under the lock).</summary>
    private void Forget(string id)
    {
        if (_byId.Remove(id, out var old))
        {
            Unlink(id, old);
        }
    }

    private void Unlink(string id, Entry old)
    {
        _byCreated.Remove(new Key(old.CreatedAt, old.Number, id));
        _bySweep.Remove(new Key(old.SweepAt, old.Number, id));
        if (old.Open)
        {
            _openByBreach.Remove(new Key(old.BreachAt, old.Number, id));
            if (_openByRequester.TryGetValue(old.Requester, out var ids) && ids.Remove(id) && ids.Count == 0)
            {
                _openByRequester.Remove(old.Requester);
            }
        }
    }

    private readonly record struct Entry(int Number, long BreachAt, bool Open, string Requester, long CreatedAt, long SweepAt);

    private readonly record struct Key(long At, int Number, string Id);

    private sealed class KeyOrder : IComparer<Key>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(Key x, Key y)
        {
            var at = x.At.CompareTo(y.At);
            if (at != 0)
            {
                return at;
            }

            var number = x.Number.CompareTo(y.Number);
            return number != 0 ? number : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
