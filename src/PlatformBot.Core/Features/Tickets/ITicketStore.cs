namespace PlatformBot.Features.Tickets;

/// <summary>A new ticket in the store's own form, made by <see cref="ITicketStore.Prepare"/>; opaque to everyone else.</summary>
internal sealed record PreparedTicket(object Document, string? IdempotencyKey, DateTimeOffset SweepAt);

/// <summary>Which tickets a list shows.</summary>
internal enum TicketListKind
{
    /// <summary>Open tickets the person filed or is assigned to.</summary>
    Mine,

    Open,

    All,

    /// <summary>Open tickets with a clock breached or due within the hour.</summary>
    Breaching,
}

/// <summary>
/// The tickets' persistence. Writes happen inside <see cref="WriteAsync{T}"/>: the work runs in one transaction, with the
/// outbox messages and domain events it adds, and its result is returned once that transaction has committed.
/// </summary>
internal interface ITicketStore
{
    /// <summary>Runs the work in a transaction. The work must read what it changes itself (it may run twice after a failed batch).</summary>
    Task<T> WriteAsync<T>(Func<T> work, CancellationToken cancellationToken);

    Ticket? Find(string id);

    /// <summary>The ticket filed earlier with this idempotency key (a Slack message ts, a form submission).</summary>
    Ticket? FindByIdempotencyKey(string key);

    /// <summary>The newest matching tickets, up to <paramref name="max"/>, and how many match in all.</summary>
    (IReadOnlyList<Ticket> Tickets, int Total) List(TicketListKind kind, string? userKey, DateTimeOffset now, int max);

    /// <summary>Ids of tickets whose next warning or breach is due at or before <paramref name="now"/>, earliest first.</summary>
    IReadOnlyList<string> DueForSweep(DateTimeOffset now, int max);

    /// <summary>Open tickets with a running clock that breaches at or before <paramref name="before"/>, earliest first.</summary>
    IReadOnlyList<Ticket> BreachingBefore(DateTimeOffset before, int max);

    /// <summary>Tickets filed in [from, to).</summary>
    IReadOnlyList<Ticket> FiledBetween(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Tickets resolved in [from, to) (and not reopened since).</summary>
    IReadOnlyList<Ticket> ResolvedBetween(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The next number for a prefix. Inside <see cref="WriteAsync{T}"/> only.</summary>
    int AllocateNumber(string prefix);

    /// <summary>Inside <see cref="WriteAsync{T}"/> only. False when the ticket's idempotency key belongs to another ticket.</summary>
    bool Insert(Ticket ticket);

    /// <summary>A new ticket made ready for <see cref="Insert(PreparedTicket, string, int)"/> outside the writer (mapping, indexes).</summary>
    PreparedTicket Prepare(Ticket ticket);

    /// <summary>Stores a prepared ticket under its id. Inside <see cref="WriteAsync{T}"/> only; false as for <see cref="Insert(Ticket)"/>.</summary>
    bool Insert(PreparedTicket ticket, string id, int number);

    /// <summary>Inside <see cref="WriteAsync{T}"/> only.</summary>
    void Update(Ticket ticket);

    /// <summary>
    /// Sets the ticket's entries in the in-memory indexes from its document once the open transaction commits: for a
    /// ticket found listed for something it no longer has (a commit that reached the file and then failed to flush left
    /// its entries behind).
    /// </summary>
    void Reindex(string id);
}
