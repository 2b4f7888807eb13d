using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Storage;

namespace PlatformBot.Outbox;

/// <summary>The outbox in the platform database: one row per message, keyed by its idempotency key.</summary>
public sealed class LiteDbOutbox : IOutbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<OutboxRecord> _rows;
    private readonly TimeProvider _time;
    private long _sequence;

    private static readonly string UpdatesCardIndex = SparseIndex.NonNull("$." + nameof(OutboxRecord.UpdatesCard));

    public LiteDbOutbox(PlatformDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        _rows = database.Collection<OutboxRecord>("outbox");
        _rows.EnsureIndex(r => r.Status);
        _rows.EnsureIndex(r => r.DueAt);
        SparseIndex.Ensure(database.Database, "outbox", nameof(OutboxRecord.UpdatesCard), UpdatesCardIndex);
        _sequence = _rows.Count() == 0 ? 0 : _rows.Max(r => r.Sequence);
    }

    /// <summary>Raised after a message that is due at once was queued, so the dispatcher wakes without waiting for its poll.</summary>
    public event Action? Enqueued;

    public bool Enqueue(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = _time.GetUtcNow().UtcDateTime;
        var dueAt = message.NotBefore is { } notBefore && notBefore.UtcDateTime > now ? notBefore.UtcDateTime : now;
        var added = _database.InTransaction(() =>
        {
            if (_rows.ById(message.IdempotencyKey) is not null)
            {
                return false;
            }

            var row = new OutboxRecord
            {
                Key = message.IdempotencyKey,
                Channel = ChannelOf(message.Destination),
                DestinationJson = JsonSerializer.Serialize(message.Destination, Json),
                UpdatesCard = (message.Destination as UpdateCard)?.CardKey,
                ReplyJson = JsonSerializer.Serialize(message.Reply, Json),
                Status = OutboxStatus.Pending,
                CreatedAt = now,
                Sequence = Interlocked.Increment(ref _sequence),
                DueAt = dueAt,
                Preview = Truncate(message.Reply.ToPlainText(), 140),
            };
            try
            {
                _rows.Insert(row);
                return true;
            }
            catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                return false; // queued at the same moment by another thread: it is there once, as it should be
            }
        });
        if (added && dueAt <= now)
        {
            // Due now: wake the dispatcher. One due later (a direct post's fallback, a reminder) is found by its poll;
            // waking it for each of those made it query the queue once per Slack batch for nothing.
            PlatformDatabase.AfterCommit(() => Enqueued?.Invoke());
        }

        return added;
    }

    internal IReadOnlyList<OutboxRecord> Due(DateTime nowUtc, int max) =>
        [.. _rows.Query().Where(r => r.Status == OutboxStatus.Pending && r.DueAt <= nowUtc).OrderBy(r => r.DueAt).Limit(max).ToEnumerable()
            .OrderBy(r => r.DueAt).ThenBy(r => r.Sequence)];

    /// <summary>
    /// Whether a card update was queued after this one for the same card (delivered or still to go): this one must not be
    /// shown any more. Updates queued later carry the card as it became later (a retried "acknowledged" must not
    /// overwrite "resolved").
    /// </summary>
    internal bool Superseded(OutboxRecord row) =>
        row.UpdatesCard is { } card
        && _rows.Find(Filter.Any(UpdatesCardIndex, card)).Any(r => r.Sequence > row.Sequence && r.Status != OutboxStatus.DeadLetter);

    internal DateTime? NextDue() =>
        _rows.Query().Where(r => r.Status == OutboxStatus.Pending).OrderBy(r => r.DueAt).Select(r => r.DueAt).FirstOrDefault() is var d && d != default ? d : null;

    internal void Update(OutboxRecord row) => _rows.Update(row);

    /// <summary>
    /// Deletes delivered messages last due before <paramref name="cutoffUtc"/> (a delivered row keeps the due time of its
    /// last attempt), a thousand per transaction so the write gate is never held for long. Returns how many.
    /// </summary>
    internal int DeleteDelivered(DateTime cutoffUtc)
    {
        const int PerTransaction = 1_000;
        var total = 0;
        while (true)
        {
            var keys = _rows.Find(Filter.Between("$." + nameof(OutboxRecord.DueAt), DateTime.MinValue, cutoffUtc))
                .Where(r => r.Status == OutboxStatus.Delivered)
                .Take(PerTransaction)
                .Select(r => r.Key)
                .ToList();
            if (keys.Count > 0)
            {
                _database.InTransaction(() => keys.ForEach(key => _rows.Delete(key)));
                total += keys.Count;
            }

            if (keys.Count < PerTransaction)
            {
                return total;
            }
        }
    }

    internal void InTransaction(Action writes) => _database.InTransaction(writes);

    public OutboxRecord? Get(string key) => _rows.ById(key);

    public IReadOnlyList<OutboxRecord> DeadLetters(int max = 50) =>
        [.. _rows.Query().Where(r => r.Status == OutboxStatus.DeadLetter).OrderByDescending(r => r.DueAt).Limit(max).ToEnumerable()];

    public int Count(OutboxStatus status) => _rows.Count(r => r.Status == status);

    /// <summary>Puts a dead letter back in the queue, due now. Returns false when there is no such dead letter.</summary>
    public bool Replay(string key)
    {
        var row = _rows.ById(key);
        if (row is not { Status: OutboxStatus.DeadLetter })
        {
            return false;
        }

        row.Status = OutboxStatus.Pending;
        row.Attempts = 0;
        row.DueAt = _time.GetUtcNow().UtcDateTime;
        _rows.Update(row);
        Enqueued?.Invoke();
        return true;
    }

    internal static Destination ReadDestination(OutboxRecord row) =>
        JsonSerializer.Deserialize<Destination>(row.DestinationJson, Json) ?? throw new InvalidOperationException("Empty destination.");

    internal static Reply ReadReply(OutboxRecord row) =>
        JsonSerializer.Deserialize<Reply>(row.ReplyJson, Json) ?? Reply.None;

    private static string? ChannelOf(Destination destination) => destination switch
    {
        ToConversation c => c.Address.Channel,
        ToUser u => u.User.Channel,
        _ => null,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
