using LiteDB;
using PlatformBot.Conversations;

namespace PlatformBot.Storage;

/// <summary>
/// Where cards were posted (collection <c>card_locations</c>). Each location is numbered in the order it was recorded, so
/// a new one goes at the end of the id index, its only index in LiteDB; it is found by its card key ("ticket:PLAT-42"),
/// by its message and by the thread it was posted in through hashes in memory (<see cref="HashedKeys{T}"/>, rebuilt at
/// open). Keyed by message and indexed by card key in LiteDB, as before, each card posted cost two skip-list inserts,
/// one at a random place in the file: about a fifth of the CPU per Teams message.
/// </summary>
internal sealed class LiteDbCardDirectory : ICardDirectory
{
    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<CardLocation> _cards;
    private readonly HashedKeys<long> _byMessage = new();
    private readonly HashedKeys<long> _byThread = new();
    private readonly HashedKeys<long> _byCard = new();

    public LiteDbCardDirectory(PlatformDatabase database)
    {
        _database = database;
        _cards = database.Database.GetCollection<CardLocation>("card_locations", BsonAutoId.Int64);
        _cards.DropIndex(nameof(CardLocation.Key)); // kept in memory now
        MoveFromBefore(database);
        foreach (var location in _cards.Query().Select(BsonExpression.Create("{ _id: $._id, m: $.MessageKey, t: $.ThreadKey, k: $.Key }")).ToDocuments())
        {
            _byMessage.Add(location["m"].AsString, location["_id"].AsInt64);
            _byCard.Add(location["k"].AsString, location["_id"].AsInt64);
            if (location["t"] is { IsString: true } thread)
            {
                _byThread.Add(thread.AsString, location["_id"].AsInt64);
            }
        }
    }

    public void Record(string cardKey, PostedMessage message)
    {
        var location = new CardLocation
        {
            Key = cardKey,
            MessageKey = MessageKey(message.Conversation.Channel, message.Conversation.ConversationId, message.MessageId),
            Channel = message.Conversation.Channel,
            ConversationId = message.Conversation.ConversationId,
            ThreadId = message.Conversation.ThreadId,
            ThreadKey = message.Conversation.ThreadId is { } thread ? MessageKey(message.Conversation.Channel, message.Conversation.ConversationId, thread) : null,
            IsDirect = message.Conversation.IsDirect,
            MessageId = message.MessageId,
        };

        // The lookup and the write in one transaction (joined to the caller's, if any): one message is never recorded
        // twice.
        _database.InTransaction(() =>
        {
            if (Located(_byMessage, location.MessageKey, c => c.MessageKey == location.MessageKey) is { } known)
            {
                location.Id = known.Id; // the same message recorded again (for another card): moved, not doubled
                _cards.Update(location);
            }
            else
            {
                _cards.Insert(location);
                _byMessage.Add(location.MessageKey, location.Id);
            }

            _byCard.Add(cardKey, location.Id); // the card it left, if it moved, finds it no more: Find checks the key

            if (location.ThreadKey is { } threadKey)
            {
                _byThread.Add(threadKey, location.Id);
            }
        });
    }

    public IReadOnlyList<PostedMessage> Find(string cardKey) =>
        [.. Matching(_byCard, cardKey, c => c.Key == cardKey)
            .Select(c => new PostedMessage(new ConversationAddress(c.Channel, c.ConversationId, c.ThreadId, c.IsDirect), c.MessageId))];

    /// <summary>
    /// The card that is this message, or whose thread this is: a card posted as the root of a thread, or posted inside a
    /// thread someone else started (a ticket filed from a Slack message, a Teams channel reply) — replies there are its.
    /// </summary>
    public string? FindKey(string channel, string conversationId, string messageId)
    {
        var key = MessageKey(channel, conversationId, messageId);
        return (Located(_byMessage, key, c => c.MessageKey == key) ?? Located(_byThread, key, c => c.ThreadKey == key))?.Key;
    }

    private static string MessageKey(string channel, string conversation, string message) => $"{channel}|{conversation}|{message}";

    /// <summary>The first location the hashes name that really has the key.</summary>
    private CardLocation? Located(HashedKeys<long> index, string key, Func<CardLocation, bool> has) =>
        Matching(index, key, has).FirstOrDefault();

    /// <summary>The locations the hashes name that really have the key, in the order recorded.</summary>
    private IEnumerable<CardLocation> Matching(HashedKeys<long> index, string key, Func<CardLocation, bool> has) =>
        index.Candidates(key).Select(id => _cards.FindById(id)).Where(c => c is not null && has(c)).Select(c => c!);

    /// <summary>
    /// A database from before holds its locations in <c>cards</c>, keyed by message: moved here once, a thousand at a time,
    /// each thousand inserted here and deleted there in one transaction, so a crash part-way moves nothing twice.
    /// </summary>
    private void MoveFromBefore(PlatformDatabase database)
    {
        if (!database.Database.CollectionExists("cards"))
        {
            return;
        }

        var old = database.Database.GetCollection("cards");
        List<BsonDocument> chunk;
        do
        {
            chunk = [.. old.Query().Limit(1000).ToDocuments()];
            database.InTransaction(() =>
            {
                foreach (var document in chunk)
                {
                    old.Delete(document["_id"]);
                    document["MessageKey"] = document["_id"];
                    document.Remove("_id");
                    _cards.Insert(database.Database.Mapper.ToObject<CardLocation>(document));
                }
            });
        }
        while (chunk.Count > 0);

        database.Database.DropCollection("cards"); // not inside a transaction (LiteDB)
    }

    internal sealed class CardLocation
    {
        /// <summary>In the order recorded (LiteDB's Int64 auto id).</summary>
        [BsonId]
        public long Id { get; set; }

        /// <summary><c>channel|conversation|message</c>.</summary>
        public string MessageKey { get; set; } = "";

        public string Key { get; set; } = "";

        public string Channel { get; set; } = "";

        public string ConversationId { get; set; } = "";

        public string? ThreadId { get; set; }

        /// <summary><c>channel|conversation|thread root</c> when the card was posted inside a thread.</summary>
        public string? ThreadKey { get; set; }

        public bool IsDirect { get; set; }

        public string MessageId { get; set; } = "";
    }
}
