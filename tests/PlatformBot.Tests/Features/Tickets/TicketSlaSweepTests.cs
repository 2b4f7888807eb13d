using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Events;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Tickets;

/// <summary>Warnings and breaches, exactly once, on a real LiteDB file with a FakeTimeProvider, across restarts.</summary>
public sealed class TicketSlaSweepTests
{
    [Fact]
    public async Task Warning_ThenRestartAfterTheDueTime_RaisesTheBreachOnce_AndNothingTwice()
    {
        var folder = TempFolder.Create();
        var time = new FakeTimeProvider(TestBot.MondayMorning);
        var recorder = new EventRecorder();
        await using (var bot = await Start(folder, time, recorder))
        {
            await bot.SayAsync("alice", "/ticket p2 VPN drops every hour"); // first response 1 h on the office calendar
            time.Advance(TimeSpan.FromMinutes(46));
            await SweepAsync(bot);
            await SweepAsync(bot);
        }

        time.Advance(TimeSpan.FromHours(2)); // down while the 90% warning and the breach came due
        await using (var again = await Start(folder, time, recorder))
        {
            await SweepAsync(again);
            await SweepAsync(again);
            await again.DeliverOutboxAsync();
            var thread = await again.ConversationAsync("support", "alice");

            Assert.Equal(["breach FirstResponse", "warning FirstResponse 0.75"], recorder.Raised.Order());
            Assert.Single(thread, m => ((string)m!["text"]!).Contains("breached its first response target", StringComparison.Ordinal));
            Assert.True(again.Services.GetRequiredService<ITickets>().Find("PLAT-1")!.Breached);
        }
    }

    [Fact]
    public async Task ATicketListedAsDueByAStaleIndexEntry_IsSetRightByTheSweep_AndNotListedAgain()
    {
        var time = new FakeTimeProvider(TestBot.MondayMorning);
        await using var bot = await Start(TempFolder.Create(), time, new EventRecorder());
        await bot.SayAsync("alice", "/ticket p2 VPN drops every hour");
        var store = bot.Services.GetRequiredService<LiteDbTicketStore>();
        var later = TestBot.MondayMorning.AddDays(30);

        // As a commit that reached the file and then failed to flush leaves it: the document says the next alert is in a
        // month, the in-memory index still has the first-response warning of the filing.
        var tickets = bot.Services.GetRequiredService<PlatformBot.Storage.PlatformDatabase>().Database.GetCollection("tickets");
        var document = tickets.FindById("PLAT-1");
        document[nameof(Ticket.SweepAt)] = later.UtcTicks;
        tickets.Update(document);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["PLAT-1"], store.DueForSweep(time.GetUtcNow(), 10));

        Assert.Equal(0, await bot.Services.GetRequiredService<TicketSlaSweep>().RunDueAsync(TestContext.Current.CancellationToken));

        Assert.Empty(store.DueForSweep(time.GetUtcNow(), 10));
        Assert.Equal(later, store.NextSweepAt(time.GetUtcNow()));
    }

    [Fact]
    public async Task IdsContinue_AfterARestart()
    {
        var folder = TempFolder.Create();
        await using (var bot = await TestBot.StartAsync(folder))
        {
            await bot.SayAsync("alice", "/ticket first");
        }

        await using var again = await TestBot.StartAsync(folder);
        var card = Assert.Single(await again.SayAsync("alice", "/ticket second"))!;

        Assert.Equal("ticket:PLAT-2", (string?)card["cardKey"]);
    }

    [Fact]
    public async Task TheEarliestDueTrigger_RaisesTheBreach_BetweenSafetyNetSweeps()
    {
        var recorder = new EventRecorder();
        var settings = new Dictionary<string, string?> { ["Sla:SweepInterval"] = "00:05:00", ["Sla:Policies:P1:FirstResponse"] = "00:07:00" };
        await using var bot = await Start(TempFolder.Create(), new FakeTimeProvider(TestBot.MondayMorning), recorder, settings);
        await bot.SayAsync("alice", "/ticket p1 Production is down"); // due at +7 min; the safety net runs at +5 and +10

        // Quartz runs on the host's TimeProvider, so the fake clock ticks like a real one: 30 s steps to +7.5 min (a jump
        // beyond Quartz's 60 s misfire threshold would be skipped), then a second a tick until the trigger has run.
        for (var i = 0; i < 15; i++)
        {
            bot.Time.Advance(TimeSpan.FromSeconds(30));
        }

        SlaBreached? breach = null;
        for (var tick = 0; tick < 60 && breach is null; tick++)
        {
            try
            {
                breach = await recorder.Breached.Task.WaitAsync(TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                bot.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.NotNull(breach);
        Assert.Equal(("PLAT-1", SlaMetric.FirstResponse), (breach.TicketId, breach.Metric));
        Assert.True(bot.Time.GetUtcNow() < TestBot.MondayMorning.AddMinutes(10));
    }

    [Fact]
    public async Task AnsweredInTime_RaisesNothing()
    {
        var recorder = new EventRecorder();
        await using var bot = await Start(TempFolder.Create(), new FakeTimeProvider(TestBot.MondayMorning), recorder);
        await bot.SayAsync("alice", "/ticket p2 VPN drops every hour");

        bot.Time.Advance(TimeSpan.FromMinutes(20));
        await bot.SayAsync("dana", "/ticket ack PLAT-1");
        bot.Time.Advance(TimeSpan.FromHours(3));
        await SweepAsync(bot);

        Assert.Empty(recorder.Raised);
    }

    [Fact]
    public async Task AboutToBreach_And_Figures_ReadTheStoredTickets()
    {
        await using var bot = await TestBot.StartAsync();
        var tickets = bot.Services.GetRequiredService<ITickets>();
        await bot.SayAsync("alice", "/ticket p2 answered in time");
        await bot.SayAsync("alice", "/ticket p2 answered late");
        await bot.SayAsync("alice", "/ticket p4 still open");
        bot.Time.Advance(TimeSpan.FromMinutes(30));
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 done");
        var soon = tickets.AboutToBreach(TimeSpan.FromMinutes(45));
        bot.Time.Advance(TimeSpan.FromHours(2));
        await bot.SayAsync("dana", "/ticket resolve PLAT-2 done");

        var figures = tickets.Figures(TestBot.MondayMorning, TestBot.MondayMorning.AddDays(1));

        Assert.Equal(["PLAT-2"], soon.Select(t => t.Id));
        Assert.Equal((3, 2), (figures.Filed, figures.Resolved));
        Assert.Equal((1, 1), (figures.FirstResponse.Met, figures.FirstResponse.Breached));
        Assert.Equal(0.5, figures.FirstResponse.Rate);
        Assert.Equal(TimeSpan.FromMinutes(90), figures.MeanTimeToResolve);
    }

    private static Task<TestBot> Start(string folder, FakeTimeProvider time, EventRecorder recorder, Dictionary<string, string?>? settings = null) =>
        TestBot.StartAsync(folder, time, settings, services: s =>
        {
            s.AddSingleton(recorder);
            s.AddDomainEventHandler<SlaWarning, RecordingHandler>();
            s.AddDomainEventHandler<SlaBreached, RecordingHandler>();
        });

    private static async Task SweepAsync(TestBot bot)
    {
        await bot.Services.GetRequiredService<TicketSlaSweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await bot.Services.GetRequiredService<DomainEventBus>().DispatchPendingAsync(TestContext.Current.CancellationToken);
    }

    public sealed class EventRecorder
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public TaskCompletionSource<SlaBreached> Breached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Raised => [.. Queue];
    }

    public sealed class RecordingHandler(EventRecorder recorder) : IDomainEventHandler<SlaWarning>, IDomainEventHandler<SlaBreached>
    {
        public Task HandleAsync(SlaWarning domainEvent, CancellationToken cancellationToken)
        {
            recorder.Queue.Enqueue($"warning {domainEvent.Metric} {domainEvent.Fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return Task.CompletedTask;
        }

        public Task HandleAsync(SlaBreached domainEvent, CancellationToken cancellationToken)
        {
            recorder.Queue.Enqueue($"breach {domainEvent.Metric}");
            recorder.Breached.TrySetResult(domainEvent);
            return Task.CompletedTask;
        }
    }
}
