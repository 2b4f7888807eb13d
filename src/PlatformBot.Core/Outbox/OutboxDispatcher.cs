using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Scheduling;

namespace PlatformBot.Outbox;

/// <summary>
/// Delivers due outbox rows through the channel senders: rate-limited per channel, retried with exponential backoff and
/// jitter, parked as dead letters when they keep failing. A row is marked done per target as soon as that target was
/// served, so a retry never sends to the same place twice.
/// </summary>
public sealed partial class OutboxDispatcher : BackgroundService
{
    private readonly LiteDbOutbox _outbox;
    private readonly ICardDirectory _cards;
    private readonly Dictionary<string, IChannelSender> _senders;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly ChannelRateLimiter _limiter;
    private readonly WakeSignal _wake = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public OutboxDispatcher(
        LiteDbOutbox outbox,
        ICardDirectory cards,
        IEnumerable<IChannelSender> senders,
        TimeProvider time,
        IOptions<OutboxOptions> options,
        ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox;
        _cards = cards;
        _senders = senders.ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);
        _time = time;
        _options = options.Value;
        _logger = logger;
        _limiter = new ChannelRateLimiter(time, _options.RatePerSecond, _options.TotalRatePerSecond);
        _outbox.Enqueued += Wake;
    }

    public void Wake() => _wake.Wake();

    /// <summary>Delivers everything due now. Returns how many rows were finished (delivered or dead-lettered).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var finished = 0;
            var due = _outbox.Due(_time.GetUtcNow().UtcDateTime, _options.BatchSize);
            foreach (var row in due)
            {
                if (await DeliverAsync(row, cancellationToken))
                {
                    finished++;
                }
            }

            return finished;
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
                await DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
            }

            if (!await _wake.WaitAsync(_options.PollInterval, _time, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<bool> DeliverAsync(OutboxRecord row, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        Destination destination;
        Reply reply;
        try
        {
            destination = LiteDbOutbox.ReadDestination(row);
            reply = LiteDbOutbox.ReadReply(row);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            return DeadLetter(row, $"unreadable row: {ex.Message}");
        }

        if (destination is UpdateCard && _outbox.Superseded(row))
        {
            return Delivered(row, now); // a newer version of the card is (or will be) shown instead
        }

        var targets = Resolve(destination);
        if (targets.Count == 0)
        {
            if (destination is UpdateCard)
            {
                return Delivered(row, now); // nothing was posted, so there is nothing to update
            }

            // A card's thread before the card itself was posted: wait a little, like any transient failure.
            return Failed(row, new ChannelSendException("the card has not been posted anywhere yet", isTransient: true));
        }

        var pending = targets.Where(t => !row.DoneTargets.Contains(t.Key)).ToList();
        if (pending.Count == 0)
        {
            return Delivered(row, now);
        }

        foreach (var target in pending)
        {
            if (!_senders.TryGetValue(target.Channel, out var sender))
            {
                return DeadLetter(row, $"no sender for channel '{target.Channel}' is configured");
            }

            if (!_limiter.TryAcquire(target.Channel, target.Conversation, out var wait))
            {
                row.DueAt = now + wait;
                _outbox.Update(row);
                return false;
            }

            PostedMessage? posted;
            try
            {
                posted = await target.Send(sender, reply, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ChannelSendException ex)
            {
                return Failed(row, ex);
            }
            catch (Exception ex)
            {
                return Failed(row, new ChannelSendException(ex.Message, isTransient: true, inner: ex));
            }

            // One commit per target served: where the card went, that this target is done, and, after the last, that the
            // row is delivered (three commits, each waiting for the disk, when they were separate).
            var last = target == pending[^1];
            _outbox.InTransaction(() =>
            {
                if (posted is not null && reply.CardKey is { } key)
                {
                    _cards.Record(key, posted);
                }

                row.DoneTargets.Add(target.Key);
                if (last)
                {
                    MarkDelivered(row, now);
                }

                _outbox.Update(row);
            });
        }

        return true;
    }

    private List<Target> Resolve(Destination destination)
    {
        switch (destination)
        {
            case ToConversation c:
                return [new Target($"post|{c.Address.Channel}|{c.Address.ConversationId}|{c.Address.ThreadId}", c.Address.Channel, c.Address.ConversationId, async (s, r, ct) => await s.PostAsync(c.Address, r, ct))];
            case ToUser u:
                return [new Target($"dm|{u.User.Key}", u.User.Channel, "dm:" + u.User.Key, async (s, r, ct) =>
                {
                    var address = await s.OpenDirectAsync(u.User, ct);
                    return await s.PostAsync(address, r, ct);
                })];
            case ToCardThread t:
                return [.. _cards.Find(t.CardKey).Select(p => new Target(
                    $"thread|{p.Conversation.Channel}|{p.Conversation.ConversationId}|{p.MessageId}",
                    p.Conversation.Channel,
                    p.Conversation.ConversationId,
                    async (s, r, ct) =>
                    {
                        await s.PostAsync(p.Conversation.InThread(p.Conversation.ThreadId ?? p.MessageId), r with { CardKey = null }, ct);
                        return (PostedMessage?)null; // a notice in a card's thread is not a card
                    }))];
            case UpdateCard u:
                return [.. _cards.Find(u.CardKey).Select(p => new Target(
                    $"update|{p.Conversation.Channel}|{p.Conversation.ConversationId}|{p.MessageId}",
                    p.Conversation.Channel,
                    p.Conversation.ConversationId,
                    async (s, r, ct) =>
                    {
                        await s.UpdateAsync(p, r, ct);
                        return (PostedMessage?)null; // the card stays where it was
                    }))];
            default:
                return [];
        }
    }

    private static void MarkDelivered(OutboxRecord row, DateTime now)
    {
        row.Status = OutboxStatus.Delivered;
        row.DeliveredAt = now;
        row.LastError = null;
    }

    private bool Delivered(OutboxRecord row, DateTime now)
    {
        MarkDelivered(row, now);
        _outbox.Update(row);
        return true;
    }

    private bool Failed(OutboxRecord row, ChannelSendException ex)
    {
        row.Attempts++;
        row.LastError = ex.Message;
        if (!ex.IsTransient || row.Attempts >= _options.MaxAttempts)
        {
            return DeadLetter(row, ex.Message);
        }

        var backoff = Backoff(row.Attempts);
        if (ex.RetryAfter is { } retryAfter && retryAfter > backoff)
        {
            backoff = retryAfter;
        }

        row.DueAt = _time.GetUtcNow().UtcDateTime + backoff;
        _outbox.Update(row);
        LogRetry(row.Key, row.Attempts, backoff, ex.Message);
        return false;
    }

    private bool DeadLetter(OutboxRecord row, string reason)
    {
        row.Status = OutboxStatus.DeadLetter;
        row.LastError = reason;
        _outbox.Update(row);
        LogDeadLetter(row.Key, row.Attempts, reason);
        return true;
    }

    internal TimeSpan Backoff(int attempts)
    {
        var baseMs = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(baseMs, _options.MaxBackoff.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    public override void Dispose()
    {
        _outbox.Enqueued -= Wake;
        _wake.Dispose();
        _oneAtATime.Dispose();
        base.Dispose();
    }

    /// <summary>One place a row goes; <see cref="Send"/> answers where a card was posted (null: nothing to record).</summary>
    /// <param name="Conversation">What the per-conversation rate limit counts by.</param>
    private sealed record Target(string Key, string Channel, string Conversation, Func<IChannelSender, Reply, CancellationToken, Task<PostedMessage?>> Send);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher loop failed; it carries on")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Key} failed (attempt {Attempts}); retrying in {Backoff}: {Error}")]
    private partial void LogRetry(string key, int attempts, TimeSpan backoff, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Key} is now a dead letter after {Attempts} attempts: {Reason}")]
    private partial void LogDeadLetter(string key, int attempts, string reason);
}
