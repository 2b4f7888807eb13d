using System.Collections.Concurrent;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Events;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Events;

public sealed class DomainEventBusTests
{
    private readonly string _path = Path.Combine(TempFolder.Create(), "platformbot.db");
    private readonly Seen _seen = new();

    [Fact]
    public async Task Handlers_RunAfterTheCommit_AndOnlyForCommittedEvents()
    {
        await using var services = Services();
        var db = services.GetRequiredService<PlatformDatabase>();
        var bus = services.GetRequiredService<DomainEventBus>();

        db.InTransaction(() => bus.Publish(new Happened("kept")));
        Assert.ThrowsAny<InvalidOperationException>(() => db.InTransaction(() =>
        {
            bus.Publish(new Happened("rolled back"));
            throw new InvalidOperationException("the change failed");
        }));
        var beforeDispatch = _seen.Names.Count;
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, beforeDispatch);
        Assert.Equal(["kept"], _seen.Names);
    }

    [Fact]
    public async Task EventsACrashLeftBehind_RunAtTheNextStart()
    {
        await using (var first = Services())
        {
            var db = first.GetRequiredService<PlatformDatabase>();
            db.InTransaction(() => first.GetRequiredService<DomainEventBus>().Publish(new Happened("before the crash")));
        }

        await using var second = Services();
        var bus = second.GetRequiredService<DomainEventBus>();
        await bus.StartAsync(TestContext.Current.CancellationToken);
        await _seen.First.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await bus.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["before the crash"], _seen.Names);
    }

    [Fact]
    public async Task AFailingHandler_DoesNotStopTheOthers()
    {
        await using var services = Services(withFailingHandler: true);
        var bus = services.GetRequiredService<DomainEventBus>();

        services.GetRequiredService<PlatformDatabase>().InTransaction(() => bus.Publish(new Happened("x")));
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["x"], _seen.Names);
    }

    [Fact]
    public async Task AHandlerThatFailsForAWhile_GetsTheEventAgain_BeforeAnyLaterOne()
    {
        var flaky = new Flaky(failures: 2);
        await using var services = Services(flaky: flaky);
        var bus = services.GetRequiredService<DomainEventBus>();
        var time = (FakeTimeProvider)services.GetRequiredService<TimeProvider>();
        var db = services.GetRequiredService<PlatformDatabase>();

        db.InTransaction(() => bus.Publish(new Happened("first")));
        db.InTransaction(() => bus.Publish(new Happened("second")));
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        Assert.Empty(flaky.Handled); // "first" failed; "second" waits behind it
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, flaky.Calls); // not before its backoff
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(8));
            await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(["first", "second"], flaky.Handled);
        Assert.Equal(4, flaky.Calls); // twice failed, then each once
    }

    [Fact]
    public async Task AHandlerThatKeepsFailing_IsGivenUpAfterFiveTries_AndItsLaneMovesOn()
    {
        var flaky = new Flaky(failures: int.MaxValue, only: "poison");
        await using var services = Services(flaky: flaky);
        var bus = services.GetRequiredService<DomainEventBus>();
        var time = (FakeTimeProvider)services.GetRequiredService<TimeProvider>();
        var db = services.GetRequiredService<PlatformDatabase>();

        db.InTransaction(() => bus.Publish(new Happened("poison")));
        db.InTransaction(() => bus.Publish(new Happened("after")));
        for (var i = 0; i < 8; i++)
        {
            await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(DomainEventBus.MaxAttempts + 1, flaky.Calls); // five tries of the poison, then "after" once
        Assert.Equal(["after"], flaky.Handled);
    }

    [Fact]
    public async Task Projections_ApplyWithTheChange_Once_AndAFailingOneFailsTheWholeChange()
    {
        await using var services = Services(withProjections: true);
        var db = services.GetRequiredService<PlatformDatabase>();
        var bus = services.GetRequiredService<DomainEventBus>();

        db.InTransaction(() =>
        {
            bus.Publish(new Happened("a"));
            bus.Publish(new Happened("b"));
        });
        var afterPublish = Tallies(db);
        Assert.Throws<InvalidOperationException>(() => db.InTransaction(() =>
        {
            db.Collection<Tally>("changes").Insert(new Tally { Name = "the change" });
            bus.Publish(new Happened("poison"));
        }));
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["a=1", "b=1"], afterPublish); // applied in the publishing transaction, before any dispatch
        Assert.Equal(["a=1", "b=1"], Tallies(db)); // once; the poison's write went with its change
        Assert.Equal(0, db.Collection<Tally>("changes").Count());
        Assert.Equal(["a", "b"], _seen.Names); // the handlers never heard of the failed change
    }

    [Fact]
    public async Task AnEventNoHandlerWants_IsNotStored_AndItsProjectionsStillApply()
    {
        await using var services = Services(withProjections: true, recordWhen: e => e.Name != "quiet");
        var db = services.GetRequiredService<PlatformDatabase>();
        var bus = services.GetRequiredService<DomainEventBus>();

        db.InTransaction(() => bus.Publish(new Happened("quiet")));
        var stored = db.Collection<BsonDocument>("domain_events").Count();
        var handled = await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, stored);
        Assert.Equal(0, handled);
        Assert.Empty(_seen.Names);
        Assert.Equal(["quiet=1"], Tallies(db));
    }

    private static List<string> Tallies(PlatformDatabase db) =>
        [.. db.Collection<Tally>("tallies").FindAll().OrderBy(t => t.Name).Select(t => $"{t.Name}={t.Count}")];

    [Fact]
    public async Task ASlowHandler_DelaysOnlyItself_AndTheEventIsForgottenOnceBothAreDone()
    {
        var gate = new Gate();
        await using var services = Services(slowFirst: gate);
        var db = services.GetRequiredService<PlatformDatabase>();
        var bus = services.GetRequiredService<DomainEventBus>();
        await bus.StartAsync(TestContext.Current.CancellationToken);

        db.InTransaction(() => bus.Publish(new Happened("urgent")));
        await _seen.First.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var storedWhileSlow = db.Collection<BsonDocument>("domain_events").Count();
        gate.Open.TrySetResult();
        await gate.Done.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await bus.DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bus.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["urgent"], _seen.Names); // the later handler did not wait for the slow one
        Assert.Equal(1, storedWhileSlow); // still needed by the slow handler
        Assert.Equal(0, db.Collection<BsonDocument>("domain_events").Count());
    }

    [Fact]
    public async Task HasHandlers_TellsWhetherAnyoneListens()
    {
        await using var services = Services();
        var bus = services.GetRequiredService<IDomainEvents>();

        Assert.True(bus.HasHandlers<Happened>());
        Assert.False(bus.HasHandlers<Unheard>());
    }

    private ServiceProvider Services(bool withFailingHandler = false, bool withProjections = false, Func<Happened, bool>? recordWhen = null, Gate? slowFirst = null, Flaky? flaky = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => PlatformDatabase.Open(_path));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestBot.MondayMorning));
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(_seen);
        if (withFailingHandler)
        {
            services.AddDomainEventHandler<Happened, Failing>();
        }

        if (slowFirst is not null)
        {
            services.AddSingleton(slowFirst);
            services.AddDomainEventHandler<Happened, Slow>();
        }

        if (flaky is not null)
        {
            services.AddSingleton(flaky);
            services.AddDomainEventHandler<Happened, FlakyHandler>();
        }

        services.AddDomainEventHandler<Happened, Recording>(recordWhen);
        if (withProjections)
        {
            services.AddDomainEventProjection<Happened, Counting>();
        }

        return services.BuildServiceProvider();
    }

    public sealed record Happened(string Name) : IDomainEvent;

    public sealed record Unheard : IDomainEvent;

    public sealed class Seen
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Names => [.. Queue];
    }

    public sealed class Recording(Seen seen) : IDomainEventHandler<Happened>
    {
        public Task HandleAsync(Happened domainEvent, CancellationToken cancellationToken)
        {
            seen.Queue.Enqueue(domainEvent.Name);
            seen.First.TrySetResult();
            return Task.CompletedTask;
        }
    }

    public sealed class Tally
    {
        [BsonId]
        public string Name { get; set; } = "";

        public int Count { get; set; }
    }

    /// <summary>Counts each event by name; "poison" writes first, then throws, so its write must go with its change.</summary>
    public sealed class Counting(PlatformDatabase database) : IDomainEventProjection<Happened>
    {
        public void Apply(Happened domainEvent)
        {
            var tallies = database.Collection<Tally>("tallies");
            var tally = tallies.FindById(domainEvent.Name) ?? new Tally { Name = domainEvent.Name };
            tally.Count++;
            tallies.Upsert(tally);
            if (domainEvent.Name == "poison")
            {
                throw new InvalidOperationException("projection bug");
            }
        }
    }

    public sealed class Gate
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Registered before <see cref="Recording"/>; holds its event until the test opens the gate.</summary>
    public sealed class Slow(Gate gate) : IDomainEventHandler<Happened>
    {
        public async Task HandleAsync(Happened domainEvent, CancellationToken cancellationToken)
        {
            await gate.Open.Task.WaitAsync(cancellationToken);
            gate.Done.TrySetResult();
        }
    }

    /// <summary>Fails its first <c>failures</c> calls (for the event named <c>only</c>, when given), then handles.</summary>
    public sealed class Flaky(int failures, string? only = null)
    {
        private int _failed;

        public int Calls { get; private set; }

        public List<string> Handled { get; } = [];

        public void Handle(Happened domainEvent)
        {
            Calls++;
            if ((only is null || domainEvent.Name == only) && _failed < failures)
            {
                _failed++;
                throw new InvalidOperationException("the service it calls is down");
            }

            Handled.Add(domainEvent.Name);
        }
    }

    public sealed class FlakyHandler(Flaky flaky) : IDomainEventHandler<Happened>
    {
        public Task HandleAsync(Happened domainEvent, CancellationToken cancellationToken)
        {
            flaky.Handle(domainEvent);
            return Task.CompletedTask;
        }
    }

    public sealed class Failing : IDomainEventHandler<Happened>
    {
        public Task HandleAsync(Happened domainEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("handler bug");
    }
}
