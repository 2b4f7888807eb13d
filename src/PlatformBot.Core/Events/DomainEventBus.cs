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
/// Projections (<see cref="IDomainEventProjection{TEvent}"/>) are applied when the event is published, inside the
/// publisher's transaction: exactly once, with the change, at no commit of their own. Events no handler wants are not
/// stored at all. A failing handler is logged
/// and not retried: handlers that must reach people write to the outbox, which retries.
/// </summary>
public sealed partial class DomainEventBus : BackgroundService, IDomainEvents
{
    private const int BatchSize = 500;
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
    private readonly WakeSignal _wake = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
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
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _subscriptions = [.. subscriptions];

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

    public void Committed() => _wake.Wake();

    public bool HasHandlers<TEvent>()
        where TEvent : IDomainEvent => HandlersOf(typeof(TEvent)).Length > 0;

    /// <summary>
    /// Runs the handlers of every stored event, oldest first, now, then applies the projections of the batch and forgets
    /// its events in one transaction. Returns how many events were handled.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var handled = 0;
            while (true)
            {
                var rows = _rows.Query().OrderBy(r => r.Id).Limit(BatchSize).ToList();
                if (rows.Count == 0)
                {
                    return handled;
                }

                var batch = rows.Select(row => new Stored(row.Id, Read(row))).ToList();
                foreach (var stored in batch)
                {
                    if (stored.Event is { } domainEvent)
                    {
                        await HandleAsync(domainEvent, cancellationToken);
                    }
                }

                var first = rows[0].Id;
                var last = rows[^1].Id;
                _database.InTransaction(() => _rows.DeleteMany(r => r.Id >= first && r.Id <= last));
                handled += rows.Count;
                if (rows.Count < BatchSize)
                {
                    return handled;
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchPendingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
            }

            if (!await _wake.WaitAsync(PollInterval, _time, stoppingToken))
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _projectionScope.Dispose();
        _wake.Dispose();
        _oneAtATime.Dispose();
        base.Dispose();
    }

    private IDomainEvent? Read(EventRow row)
    {
        var type = _types.GetOrAdd(row.Type, name => Type.GetType(name, throwOnError: false));
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

    private async Task HandleAsync(IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        var type = domainEvent.GetType();
        var invoke = _invokers.GetOrAdd(type, t => InvokeMethod.MakeGenericMethod(t).CreateDelegate<Func<object, IDomainEvent, CancellationToken, Task>>());
        foreach (var subscription in HandlersOf(type))
        {
            if (subscription.IsProjection || !subscription.Wants(domainEvent))
            {
                continue;
            }

            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
                await invoke(handler, domainEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(ex, subscription.HandlerType.Name, type.Name);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler} failed for {Event}; it is not retried")]
    private partial void LogHandlerFailed(Exception ex, string handler, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "A stored domain event of type {Type} could not be read")]
    private partial void LogUnreadable(Exception ex, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a stored domain event of type {Type}: the type is unknown or unreadable")]
    private partial void LogDropped(string type);

    private readonly record struct Stored(long Id, IDomainEvent? Event);

    internal sealed class EventRow
    {
        [BsonId(true)]
        public long Id { get; set; }

        public string Type { get; set; } = "";

        public string Json { get; set; } = "";

        public long PublishedAtTicks { get; set; }
    }
}
