namespace PlatformBot.Events;

/// <summary>A fact one feature tells others about (<c>TicketCreated</c>, <c>SlaBreached</c>): a record, serializable as JSON.</summary>
public interface IDomainEvent;

/// <summary>
/// The in-process event bus. <see cref="Publish"/> records an event in the same LiteDB transaction as the change that
/// caused it; the handlers run after that transaction committed (and, for what a crash interrupted, at the next start).
/// </summary>
public interface IDomainEvents
{
    /// <summary>Records the event with the current change. Call it inside <c>PlatformDatabase.InTransaction</c>.</summary>
    void Publish(IDomainEvent domainEvent);

    /// <summary>Says that a transaction which published events has committed, so the handlers can run now.</summary>
    void Committed();

    /// <summary>True when at least one handler is registered for this kind of event (a feature may then offer what it enables).</summary>
    bool HasHandlers<TEvent>()
        where TEvent : IDomainEvent;
}

/// <summary>Reacts to one kind of event. Runs in its own DI scope, after the publishing transaction committed; at least once.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The name other features were promised (IDomainEventHandler<T>); it handles domain events, it is not a .NET event delegate.")]
public interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps stored state in step with one kind of event: synchronous, database writes only (no I/O, no awaits, no locks of
/// its own). The bus applies it when the event is published, inside the publisher's transaction: exactly once, part of
/// the change (no event row, no commit of its own). It is part of the unit of work: if it throws, the change that
/// published the event fails with it and nothing of either is kept. Built once, when the bus is.
/// </summary>
public interface IDomainEventProjection<in TEvent>
    where TEvent : IDomainEvent
{
    void Apply(TEvent domainEvent);
}
