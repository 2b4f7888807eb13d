using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Storage;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Outbox;

public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = TempFolder.Create();
    private readonly FakeTimeProvider _time = new(TestBot.MondayMorning);
    private readonly RecordingSender _sender = new();
    private PlatformDatabase _db;
    private LiteDbOutbox _outbox;
    private OutboxDispatcher _dispatcher;
    private LiteDbCardDirectory _cards;

    public OutboxTests()
    {
        (_db, _outbox, _dispatcher, _cards) = Open();
    }

    private string DbPath => Path.Combine(_folder, "platformbot.db");

    // One card directory per database, as the host has (its indexes are in memory).
    private (PlatformDatabase, LiteDbOutbox, OutboxDispatcher, LiteDbCardDirectory) Open()
    {
        var db = PlatformDatabase.Open(DbPath);
        var outbox = new LiteDbOutbox(db, _time);
        var options = Options.Create(new OutboxOptions { MaxAttempts = 4, InitialBackoff = TimeSpan.FromSeconds(2), RatePerSecond = new() { ["test"] = 1 } });
        var cards = new LiteDbCardDirectory(db);
        var dispatcher = new OutboxDispatcher(outbox, cards, [_sender], _time, options, NullLogger<OutboxDispatcher>.Instance);
        return (db, outbox, dispatcher, cards);
    }

    private static OutboundMessage Message(string key, string text = "hello") =>
        new(key, new ToConversation(new ConversationAddress("test", "C1")), Reply.Text(Md.Text($"{text}")));

    [Fact]
    public async Task FailingSink_ThatRecovers_DeliversExactlyOnce()
    {
        _outbox.Enqueue(Message("k1"));
        _sender.FailWith = new ChannelSendException("down", isTransient: true);

        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _sender.FailWith = null;
        _time.Advance(TimeSpan.FromSeconds(10));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(10));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Single(_sender.Sent);
        Assert.Equal(OutboxStatus.Delivered, _outbox.Get("k1")!.Status);
    }

    [Fact]
    public async Task DeliveredMessages_AreForgottenAfterTheRetention_WhilePendingAndDeadLettersStay()
    {
        var expiry = new OutboxExpiry(_outbox, _time, Options.Create(new OutboxOptions { KeepDelivered = TimeSpan.FromDays(30) }));
        _outbox.Enqueue(Message("old"));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2)); // past the channel's rate limit
        _sender.FailWith = new ChannelSendException("channel_not_found", isTransient: false);
        _outbox.Enqueue(Message("dead"));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _sender.FailWith = null;

        _time.Advance(TimeSpan.FromDays(20));
        _outbox.Enqueue(Message("recent"));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _outbox.Enqueue(Message("waiting") with { NotBefore = _time.GetUtcNow() + TimeSpan.FromDays(60) });
        _time.Advance(TimeSpan.FromDays(11)); // "old" was delivered 31 days ago, "recent" 11 days ago

        Assert.Equal(1, await expiry.RunDueAsync(TestContext.Current.CancellationToken));

        Assert.Null(_outbox.Get("old"));
        Assert.Equal(OutboxStatus.Delivered, _outbox.Get("recent")!.Status);
        Assert.Equal(OutboxStatus.DeadLetter, _outbox.Get("dead")!.Status);
        Assert.Equal(OutboxStatus.Pending, _outbox.Get("waiting")!.Status);
        Assert.Equal(0, await expiry.RunDueAsync(TestContext.Current.CancellationToken)); // nothing twice
    }

    [Fact]
    public void ManyDeliveredMessages_AreForgottenInBoundedTransactions()
    {
        var sent = _time.GetUtcNow().UtcDateTime;
        _outbox.InTransaction(() =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                _outbox.Enqueue(Message($"k{i}"));
                var row = _outbox.Get($"k{i}")!;
                row.Status = OutboxStatus.Delivered;
                row.DeliveredAt = sent;
                _outbox.Update(row);
            }
        });

        Assert.Equal(2_500, _outbox.DeleteDelivered(sent.AddSeconds(1)));
        Assert.Equal(0, _outbox.Count(OutboxStatus.Delivered));
    }

    [Fact]
    public async Task PendingMessage_SurvivesARestart_AndIsDeliveredOnce()
    {
        _outbox.Enqueue(Message("k1"));
        _sender.FailWith = new ChannelSendException("down", isTransient: true);
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _dispatcher.Dispose();
        _db.Dispose();

        (_db, _outbox, _dispatcher, _cards) = Open();
        _sender.FailWith = null;
        _time.Advance(TimeSpan.FromMinutes(1));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task SameIdempotencyKey_IsQueuedAndSentOnce()
    {
        Assert.True(_outbox.Enqueue(Message("same")));
        Assert.False(_outbox.Enqueue(Message("same", "again")));

        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal("hello", Assert.Single(_sender.Sent).Reply.ToPlainText());
    }

    [Fact]
    public async Task SameKey_QueuedConcurrently_IsStoredOnce_AndNobodyFails()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => _outbox.Enqueue(Message("same")), TestContext.Current.CancellationToken)));

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, _outbox.Count(OutboxStatus.Pending));
    }

    [Fact]
    public async Task MessageThatKeepsFailing_BecomesADeadLetter_AndReplayDeliversIt()
    {
        _outbox.Enqueue(Message("k1"));
        _sender.FailWith = new ChannelSendException("down", isTransient: true);
        for (var i = 0; i < 6; i++)
        {
            await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
            _time.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(OutboxStatus.DeadLetter, _outbox.Get("k1")!.Status);
        Assert.Equal(4, _outbox.Get("k1")!.Attempts);
        Assert.Single(_outbox.DeadLetters());

        _sender.FailWith = null;
        Assert.True(_outbox.Replay("k1"));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Single(_sender.Sent);
        Assert.Empty(_outbox.DeadLetters());
    }

    [Fact]
    public async Task PermanentFailure_IsADeadLetterAtOnce()
    {
        _outbox.Enqueue(Message("k1"));
        _sender.FailWith = new ChannelSendException("channel_not_found", isTransient: false);

        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OutboxStatus.DeadLetter, _outbox.Get("k1")!.Status);
        Assert.Equal("channel_not_found", _outbox.Get("k1")!.LastError);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        _outbox.Enqueue(Message("k1"));
        _sender.FailWith = new ChannelSendException("rate limited", isTransient: true, retryAfter: TimeSpan.FromSeconds(30));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _sender.FailWith = null;

        _time.Advance(TimeSpan.FromSeconds(20));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        Assert.Empty(_sender.Sent);

        _time.Advance(TimeSpan.FromSeconds(11));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task ChannelRateLimit_SpreadsMessagesOverTime()
    {
        for (var i = 0; i < 3; i++)
        {
            _outbox.Enqueue(Message("k" + i));
        }

        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        Assert.Single(_sender.Sent);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, _sender.Sent.Count);
    }

    [Fact]
    public async Task RateLimit_IsPerConversation_UnderAChannelWideCeiling()
    {
        // A survey to many people must not be paced like many messages to one channel (one a second per conversation),
        // while the platform's limit for all conversations together still holds.
        var limits = Options.Create(new OutboxOptions { RatePerSecond = new() { ["test"] = 1 }, TotalRatePerSecond = new() { ["test"] = 5 } });
        using var dispatcher = new OutboxDispatcher(_outbox, _cards, [_sender], _time, limits, NullLogger<OutboxDispatcher>.Instance);
        for (var i = 0; i < 10; i++)
        {
            _outbox.Enqueue(new OutboundMessage($"survey:{i}", new ToConversation(new ConversationAddress("test", $"D{i}")), Reply.Text(Md.Text($"How was your week?"))));
        }

        _outbox.Enqueue(new OutboundMessage("second-to-D0", new ToConversation(new ConversationAddress("test", "D0")), Reply.Text(Md.Text($"Reminder"))));

        await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        var inTheFirstSecond = _sender.Sent.Count;
        _time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        var inTwoSeconds = _sender.Sent.Count;
        _time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5, inTheFirstSecond);
        Assert.Equal(10, inTwoSeconds);
        Assert.Equal(11, _sender.Sent.Count);
        Assert.Equal(2, _sender.Sent.Count(s => s.To.ConversationId == "D0"));
    }

    [Fact]
    public void Enqueue_InsideARolledBackTransaction_LeavesNothing()
    {
        Assert.Throws<InvalidOperationException>(() => _db.InTransaction(() =>
        {
            _outbox.Enqueue(Message("k1"));
            throw new InvalidOperationException("the state change failed");
        }));

        Assert.Null(_outbox.Get("k1"));
    }

    [Fact]
    public async Task CardThreadMessage_GoesToTheThreadOfEachPostedCard()
    {
        _cards.Record("ticket:PLAT-1", new PostedMessage(new ConversationAddress("test", "C1"), "100.1"));
        _outbox.Enqueue(new OutboundMessage("k1", new ToCardThread("ticket:PLAT-1"), Reply.Text(Md.Text($"SLA warning"))));

        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        var (to, _) = Assert.Single(_sender.Sent);
        Assert.Equal(("C1", "100.1"), (to.ConversationId, to.ThreadId));
    }

    [Fact]
    public async Task AnOlderCardUpdate_RetriedAfterANewerOne_NeverOverwritesIt()
    {
        _cards.Record("ticket:PLAT-1", new PostedMessage(new ConversationAddress("test", "C1"), "100.1"));
        _outbox.Enqueue(new OutboundMessage("ticket:PLAT-1:card:2", new UpdateCard("ticket:PLAT-1"), Reply.Text(Md.Text($"Acknowledged by dana"))));
        _sender.FailWith = new ChannelSendException("Slack is having a moment", isTransient: true);
        await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken); // the older update fails and backs off
        _sender.FailWith = null;
        _outbox.Enqueue(new OutboundMessage("ticket:PLAT-1:card:3", new UpdateCard("ticket:PLAT-1"), Reply.Text(Md.Text($"Resolved by dana"))));

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        }

        var (_, shown) = Assert.Single(_sender.Updated);
        Assert.Equal("Resolved by dana", shown.ToPlainText());
        Assert.Equal(OutboxStatus.Delivered, _outbox.Get("ticket:PLAT-1:card:2")!.Status); // superseded: done, not retried
    }

    [Fact]
    public async Task WithTheDefaults_AChannelDownForAnHour_StillGetsTheMessage_Once()
    {
        var defaults = Options.Create(new OutboxOptions { RatePerSecond = new() });
        using var dispatcher = new OutboxDispatcher(_outbox, _cards, [_sender], _time, defaults, NullLogger<OutboxDispatcher>.Instance);
        _outbox.Enqueue(Message("page:PLAT-1:breach:0:0"));
        _sender.FailWith = new ChannelSendException("connection refused", isTransient: true);

        for (var minute = 0; minute < 60; minute++)
        {
            await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        _sender.FailWith = null;
        for (var minute = 0; minute < 15; minute++)
        {
            await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(_sender.Sent);
        Assert.Equal(OutboxStatus.Delivered, _outbox.Get("page:PLAT-1:breach:0:0")!.Status);
    }

    [Fact]
    public async Task MessagesDueTogether_GoOutInTheOrderTheyWereQueued()
    {
        var keys = Enumerable.Range(0, 30).Select(i => $"z{(i * 7) % 30:00}").ToList();
        foreach (var key in keys)
        {
            _outbox.Enqueue(Message(key, key));
        }

        for (var i = 0; i < 30; i++)
        {
            await _dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(keys, _sender.Sent.Select(s => s.Reply.ToPlainText()));
    }

    [Fact]
    public void CardPostedInsideSomeoneElsesThread_OwnsThatThread()
    {
        var cards = new LiteDbCardDirectory(_db);
        cards.Record("ticket:PLAT-7", new PostedMessage(new ConversationAddress("slack", "C1", ThreadId: "111.1"), "222.2"));

        Assert.Equal("ticket:PLAT-7", cards.FindKey("slack", "C1", "111.1"));
        Assert.Equal("ticket:PLAT-7", cards.FindKey("slack", "C1", "222.2"));
        Assert.Null(cards.FindKey("slack", "C2", "111.1"));
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _db.Dispose();
    }
}
