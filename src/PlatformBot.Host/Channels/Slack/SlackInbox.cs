using LiteDB;
using Microsoft.Extensions.Options;
using PlatformBot.Scheduling;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Slack;

internal enum SlackDeliveryKind
{
    Command,
    Event,
    Interaction,
}

internal enum SlackInboxStatus
{
    /// <summary>Acknowledged, not yet (fully) handled: handled after a restart if the process stops now.</summary>
    Pending,

    /// <summary>Handled; kept until it expires so that a retry of the same delivery is recognised and dropped.</summary>
    Done,
}

/// <summary>
/// Every delivery Slack sent us, written before it is acknowledged: the queue of work (nothing acknowledged is lost when
/// the process stops) and the record of delivery ids (<c>event_id</c>, <c>envelope_id</c>, trigger ids) that drops
/// Slack's retries. Rows expire <see cref="SlackOptions.DedupeRetention"/> after they were handled.
/// </summary>
internal sealed class SlackInbox
{
    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<SlackInboxRow> _rows;
    private readonly TimeProvider _time;
    private readonly SlackOptions _options;

    public SlackInbox(PlatformDatabase database, TimeProvider time, IOptions<SlackOptions> options)
    {
        _database = database;
        _time = time;
        _options = options.Value;
        _rows = database.Collection<SlackInboxRow>("slack_inbox");
        _rows.EnsureIndex(r => r.Status);
        _rows.EnsureIndex(r => r.ExpiresAt);
    }

    /// <summary>Records a delivery. Returns false, and records nothing, when the same delivery id was seen before.</summary>
    public bool TryAdd(string deliveryId, SlackDeliveryKind kind, string payloadJson) =>
        _database.InTransaction(() =>
        {
            if (Seen(deliveryId))
            {
                return false;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            _rows.Insert(new SlackInboxRow
            {
                Id = deliveryId,
                Kind = kind,
                PayloadJson = payloadJson,
                Status = SlackInboxStatus.Pending,
                ReceivedAt = now,
                ExpiresAt = now + _options.DedupeRetention,
            });
            return true;
        });

    /// <summary>The delivery id was recorded before (handled or not).</summary>
    public bool Seen(string deliveryId) => _rows.ById(deliveryId) is not null;

    /// <summary>
    /// Records a delivery that was handled inside the same transaction: one write instead of a pending row and its update.
    /// Does nothing if it is recorded already.
    /// </summary>
    public void AddDone(string deliveryId, SlackDeliveryKind kind)
    {
        if (!Seen(deliveryId))
        {
            AddDoneUnseen(deliveryId, kind);
        }
    }

    /// <summary><see cref="AddDone"/> for a delivery this transaction has already found unseen (<see cref="Seen"/>).</summary>
    public void AddDoneUnseen(string deliveryId, SlackDeliveryKind kind)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        _rows.Insert(new SlackInboxRow
        {
            Id = deliveryId,
            Kind = kind,
            PayloadJson = string.Empty,
            Status = SlackInboxStatus.Done,
            ReceivedAt = now,
            ExpiresAt = now + _options.DedupeRetention,
        });
    }

    public SlackInboxRow? Get(string deliveryId) => _rows.ById(deliveryId);

    /// <summary>Marks a delivery handled. Call it inside the transaction that queued its answers in the outbox.</summary>
    public void MarkDone(string deliveryId)
    {
        var row = _rows.ById(deliveryId);
        if (row is null || row.Status == SlackInboxStatus.Done)
        {
            return;
        }

        row.Status = SlackInboxStatus.Done;
        row.ExpiresAt = _time.GetUtcNow().UtcDateTime + _options.DedupeRetention;
        row.PayloadJson = string.Empty; // the payload is not needed to recognise a retry
        _rows.Update(row);
    }

    public IReadOnlyList<string> PendingIds() =>
        [.. _rows.Query().Where(r => r.Status == SlackInboxStatus.Pending).OrderBy(r => r.ReceivedAt).Select(r => r.Id).ToEnumerable()];

    public int DeleteExpired()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _rows.DeleteMany(r => r.Status == SlackInboxStatus.Done && r.ExpiresAt <= now);
    }

    public int Count(SlackInboxStatus status) => _rows.Count(r => r.Status == status);

    internal sealed class SlackInboxRow
    {
        [BsonId]
        public string Id { get; set; } = "";

        public SlackDeliveryKind Kind { get; set; }

        /// <summary>The payload as JSON (a slash command's form fields as an object).</summary>
        public string PayloadJson { get; set; } = "";

        public SlackInboxStatus Status { get; set; }

        public DateTime ReceivedAt { get; set; }

        public DateTime ExpiresAt { get; set; }
    }
}

/// <summary>Forgets handled deliveries once retries of them can no longer arrive.</summary>
internal sealed class SlackInboxExpiry(SlackInbox inbox) : ISweep
{
    public Task<int> RunDueAsync(CancellationToken cancellationToken) => Task.FromResult(inbox.DeleteExpired());
}
