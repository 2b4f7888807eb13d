using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlatformBot.Scheduling;
using PlatformBot.Storage;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace PlatformBot.Events;

/// <summary>
/// Events wait in the platform database (collection <c>domain_events</c>) from the publishing transaction until their
/// handlers ran, so a crash between the commit and the handlers delays them to the next start instead of losing them.
/// Each handler has its own loop and its own stored cursor (<c>domain_event_cursors</c>): it sees events in order, and
/// a slow one delays only itself; an event is deleted once every handler is past it. Projections
/// (<see cref="IDomainEventProjection{TEvent}"/>) are applied when the event is published, inside the publisher's
/// transaction: exactly once, with the change, at no commit of their own. Events no handler wants are not stored at all.
/// A handler that fails is tried again with the same event after 1, 2, 4 and 8 seconds, before any later event of its
/// lane (so it still sees them in order); after the fifth failure the event is logged as given up and the lane moves on.
/// Handlers that must reach people also write to the outbox, which retries sending on its own.
/// </summary>
public sealed partial class DomainEventBus : BackgroundService, IDomainEvents
{
    private const int BatchSize = 500;

    /// <summary>How many times a handler is tried with one event before it is given up.</summary>
    public const int MaxAttempts = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly MethodInfo ApplyMethod = typeof(DomainEventBus).GetMethod(nameof(Apply), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo InvokeMethod = typeof(DomainEventBus).GetMethod(nameof(InvokeAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<EventRow> _rows;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<DomainEventBus> _logger;
    private readonly List<DomainEventSubscription> _subscriptions;
    private readonly ConcurrentDictionary<Type, DomainEventSubscription[]> _handlersByType = new();
    private readonly ConcurrentDictionary<Type, Func<object, IDomainEvent, CancellationToken, Task>> _invokers = new();
    private readonly ConcurrentDictionary<Type, Action<object, IDomainEvent>> _appliers = new();

    // Stored type names to types: Type.GetType on an assembly-qualified name walks the loader every time.
    private readonly ConcurrentDictionary<string, Type?> _types = new(StringComparer.Ordinal);
    private readonly ILiteCollection<BsonDocument> _cursors;
    private readonly List<Lane> _lanes;
    private readonly Lock _forgetting = new();
    private long _forgottenUpTo = -1;
    private readonly IServiceScope _projectionScope;
    private readonly Dictionary<DomainEventSubscription, object> _projections;

    public DomainEventBus(
        PlatformDatabase database,
        IEnumerable<DomainEventSubscription> subscriptions,
        IServiceScopeFactory scopes,
        TimeProvider time,
        ILogger<DomainEventBus> logger)
    {
        _database = database;
        _rows = database.Collection<EventRow>("domain_events");
        _cursors = database.Collection<BsonDocument>("domain_event_cursors");
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _subscriptions = [.. subscriptions];
        // LiteDB numbers a collection's rows from its largest id when it opens, so an empty collection starts again at 1:
        // then every stored cursor is past events that are to come, and all start from 0. A collection with rows
        // holds the largest id ever given (only rows every handler is past are deleted), so the numbering goes on.
        var restart = _rows.Count() == 0;
        _lanes = [.. _subscriptions.Where(s => !s.IsProjection).Select(s => s.HandlerType).Distinct()
            .Select(handlerType => new Lane(handlerType, restart ? 0 : _cursors.ById(handlerType.FullName)?["last"].AsInt64 ?? 0))];

        // Projections run inside the publisher's transaction, where building a service could wait for the write gate
        // under the container's lock (a deadlock): so they are built here, once, in a scope that lives with the bus.
        _projectionScope = scopes.CreateScope();
        _projections = _subscriptions.Where(s => s.IsProjection)
            .ToDictionary(s => s, s => _projectionScope.ServiceProvider.GetRequiredService(s.HandlerType));
    }

    /// <summary>How often the bus looks for events when no commit told it about any (a safety net; commits wake it).</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Applies the event's projections now, in the caller's transaction, and stores the event for the handlers that want
    /// it (none: nothing is stored).
    /// </summary>
    public void Publish(IDomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        var subscriptions = HandlersOf(type);
        if (subscriptions.Length == 0)
        {
            return;
        }

        _database.InTransaction(() =>
        {
            foreach (var projection in subscriptions.Where(s => s.IsProjection))
            {
                Project(_projections[projection], domainEvent);
            }

            if (subscriptions.Any(s => !s.IsProjection && s.Wants(domainEvent)))
            {
                _rows.Insert(new EventRow
                {
                    Type = type.AssemblyQualifiedName!,
                    Json = JsonSerializer.Serialize(domainEvent, type, Json),
                    PublishedAtTicks = _time.GetUtcNow().UtcTicks,
                });
                PlatformDatabase.AfterCommit(Committed);
            }
        });
    }

    public void Committed() => _lanes.ForEach(lane => lane.Wake.Wake());

    public bool HasHandlers<TEvent>()
        where TEvent : IDomainEvent => HandlersOf(typeof(TEvent)).Length > 0;

    /// <summary>
    /// Runs every handler on every stored event it has not handled yet, oldest first, now, and forgets the events all
    /// handlers are past. Returns how many handler runs that took.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        var handled = 0;
        foreach (var lane in _lanes)
        {
            handled += await RunLaneAsync(lane, cancellationToken);
        }

        Forget();
        return handled;
    }

    /// <summary>One loop per handler, so a slow one (escalation paging during a burst of breaches) delays only itself.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Forget(); // events stored for handlers that are no longer registered
        await Task.WhenAll(_lanes.Select(lane => Task.Run(() => LaneLoopAsync(lane, stoppingToken), CancellationToken.None)));
    }

    private async Task LaneLoopAsync(Lane lane, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunLaneAsync(lane, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
            }

            var wait = lane.RetryAt is { } retryAt ? TimeSpan.FromTicks(Math.Clamp((retryAt - _time.GetUtcNow()).Ticks, TimeSpan.TicksPerMillisecond, PollInterval.Ticks)) : PollInterval;
            if (!await lane.Wake.WaitAsync(wait, _time, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The events after the lane's cursor, in order, to its handler; the cursor is stored after each batch, so after a
    /// crash a handler sees again at most the batch it was in (at least once, as before).
    /// </summary>
    private async Task<int> RunLaneAsync(Lane lane, CancellationToken cancellationToken)
    {
        await lane.OneAtATime.WaitAsync(cancellationToken);
        try
        {
            var handled = 0;
            while (true)
            {
                var after = lane.Cursor;
                var rows = _rows.Find(Filter.Gt("_id", after), limit: BatchSize).OrderBy(r => r.Id).ToList();
                if (rows.Count == 0)
                {
                    return handled;
                }

                if (lane.RetryAt is { } retryAt && _time.GetUtcNow() < retryAt)
                {
                    return handled; // an event that failed waits for its next try, and the lane's later events with it
                }

                var done = after;
                var waiting = false;
                foreach (var row in rows)
                {
                    var type = _types.GetOrAdd(row.Type, name => Type.GetType(name, throwOnError: false));
                    if (type is not null && !HandlersOf(type).Any(s => !s.IsProjection && s.HandlerType == lane.HandlerType))
                    {
                        done = row.Id;
                        continue; // not this handler's kind of event: not even read
                    }

                    if (Read(row, type) is { } domainEvent)
                    {
                        var (runs, failure) = await HandleAsync(lane, domainEvent, cancellationToken);
                        handled += runs;
                        if (failure is not null && !GiveUpOrRetry(lane, row.Id, type!.Name, failure))
                        {
                            waiting = true;
                            break;
                        }

                        if (failure is null && lane.FailedEvent == row.Id)
                        {
                            lane.ClearFailure();
                        }
                    }

                    done = row.Id;
                }

                if (done != lane.Cursor)
                {
                    lane.Cursor = done;
                    _database.InTransaction(() => _cursors.Upsert(new BsonDocument { ["_id"] = lane.Name, ["last"] = lane.Cursor }));
                    Forget();
                }

                if (waiting || rows.Count < BatchSize)
                {
                    return handled;
                }
            }
        }
        finally
        {
            lane.OneAtATime.Release();
        }
    }

    /// <summary>Deletes the events every handler is past.</summary>
    private void Forget()
    {
        var past = _lanes.Count == 0 ? long.MaxValue : _lanes.Min(lane => lane.Cursor);
        lock (_forgetting) // taken before the write gate, never inside it
        {
            if (past <= _forgottenUpTo)
            {
                return; // nothing new to delete: no commit (and no fsync) for it
            }

            _database.InTransaction(() => _rows.DeleteMany(Filter.Lte("_id", past)));
            _forgottenUpTo = past;
        }
    }

    public override void Dispose()
    {
        _projectionScope.Dispose();
        _lanes.ForEach(lane => lane.Dispose());
        base.Dispose();
    }

    /// <summary>The stored event, or null (logged) when its type is unknown (<paramref name="type"/> null) or its JSON unreadable.</summary>
    private IDomainEvent? Read(EventRow row, Type? type)
    {
        IDomainEvent? domainEvent = null;
        try
        {
            domainEvent = type is null ? null : JsonSerializer.Deserialize(row.Json, type, Json) as IDomainEvent;
        }
        catch (JsonException ex)
        {
            LogUnreadable(ex, row.Type);
        }

        if (domainEvent is null)
        {
            LogDropped(row.Type);
        }

        return domainEvent;
    }

    /// <summary>
    /// After a handler failed with an event: true when the event is given up (its fifth failure; the lane moves on), false
    /// when it is to be tried again after a backoff (the lane stops before it until then).
    /// </summary>
    private bool GiveUpOrRetry(Lane lane, long eventId, string eventType, Exception failure)
    {
        lane.Attempts = lane.FailedEvent == eventId ? lane.Attempts + 1 : 1;
        lane.FailedEvent = eventId;
        if (lane.Attempts >= MaxAttempts)
        {
            LogHandlerGaveUp(failure, lane.HandlerType.Name, eventType, lane.Attempts);
            lane.ClearFailure();
            return true;
        }

        var backoff = TimeSpan.FromSeconds(1 << (lane.Attempts - 1));
        lane.RetryAt = _time.GetUtcNow() + backoff;
        LogHandlerFailed(failure, lane.HandlerType.Name, eventType, lane.Attempts, backoff);
        return false;
    }

    private async Task<(int Runs, Exception? Failure)> HandleAsync(Lane lane, IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        var type = domainEvent.GetType();
        var invoke = _invokers.GetOrAdd(type, t => InvokeMethod.MakeGenericMethod(t).CreateDelegate<Func<object, IDomainEvent, CancellationToken, Task>>());
        var runs = 0;
        Exception? failure = null;
        foreach (var subscription in HandlersOf(type))
        {
            if (subscription.IsProjection || subscription.HandlerType != lane.HandlerType || !subscription.Wants(domainEvent))
            {
                continue;
            }

            runs++;

            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
                await invoke(handler, domainEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure ??= ex;
            }
        }

        return (runs, failure);
    }

    private void Project(object projection, IDomainEvent domainEvent) =>
        _appliers.GetOrAdd(domainEvent.GetType(), t => ApplyMethod.MakeGenericMethod(t).CreateDelegate<Action<object, IDomainEvent>>())(projection, domainEvent);

    private DomainEventSubscription[] HandlersOf(Type eventType) =>
        _handlersByType.GetOrAdd(eventType, t => [.. _subscriptions.Where(s => s.EventType.IsAssignableFrom(t))]);

    private static void Apply<TEvent>(object projection, IDomainEvent domainEvent)
        where TEvent : IDomainEvent
    {
        if (projection is IDomainEventProjection<TEvent> typed)
        {
            typed.Apply((TEvent)domainEvent);
        }
    }

    private static Task InvokeAsync<TEvent>(object handler, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent => handler is IDomainEventHandler<TEvent> typed
            ? typed.HandleAsync((TEvent)domainEvent, cancellationToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "The domain event loop failed; it carries on")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler {Handler} failed for {Event} (attempt {Attempt}); it is tried again in {Backoff}")]
    private partial void LogHandlerFailed(Exception ex, string handler, string @event, int attempt, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler} failed for {Event} {Attempts} times; the event is given up for it")]
    private partial void LogHandlerGaveUp(Exception ex, string handler, string @event, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "A stored domain event of type {Type} could not be read")]
    private partial void LogUnreadable(Exception ex, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a stored domain event of type {Type}: the type is unknown or unreadable")]
    private partial void LogDropped(string type);

    /// <summary>One handler's position in the stream of events (the id of the last event it handled, stored).</summary>
    private sealed class Lane(Type handlerType, long cursor) : IDisposable
    {
        public string Name { get; } = handlerType.FullName!;

        public Type HandlerType { get; } = handlerType;

        public long Cursor { get; set; } = cursor;

        /// <summary>The event the handler last failed with, how many times in a row, and when it is tried again.</summary>
        public long FailedEvent { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset? RetryAt { get; set; }

        /// <summary>The failed event was handled, or given up: the lane runs freely again.</summary>
        public void ClearFailure()
        {
            FailedEvent = 0;
            Attempts = 0;
            RetryAt = null;
        }

        public SemaphoreSlim OneAtATime { get; } = new(1, 1);

        public WakeSignal Wake { get; } = new();

        public void Dispose()
        {
            OneAtATime.Dispose();
            Wake.Dispose();
        }
    }

    internal sealed class EventRow
    {
        [BsonId(true)]
        public long Id { get; set; }

        public string Type { get; set; } = "";

        public string Json { get; set; } = "";

        public long PublishedAtTicks { get; set; }
    }
}
