using LiteDB;
using PlatformBot.Conversations;

namespace PlatformBot.Storage;

internal sealed class LiteDbCardDirectory : ICardDirectory
{
    // Sparse (SparseIndex): most cards are not posted inside a thread.
    private static readonly string ThreadKeyIndex = SparseIndex.NonNull("$." + nameof(CardLocation.ThreadKey));

    private readonly ILiteCollection<CardLocation> _cards;

    // Nearly every location recorded is a new message: inserted without first looking for one to update.
    private readonly KeyFilter _recorded;

    public LiteDbCardDirectory(PlatformDatabase database)
    {
        _cards = database.Collection<CardLocation>("cards");
        _cards.EnsureIndex(c => c.Key);
        SparseIndex.Ensure(database.Database, "cards", nameof(CardLocation.ThreadKey), ThreadKeyIndex);
        _recorded = KeyFilter.Of(_cards, "_id");
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
        if (_recorded.MayContain(location.MessageKey))
        {
            _cards.Upsert(location);
        }
        else
        {
            _cards.Insert(location);
            _recorded.Add(location.MessageKey);
        }
    }

    public IReadOnlyList<PostedMessage> Find(string cardKey) =>
        [.. _cards.Find(c => c.Key == cardKey).Select(c => new PostedMessage(
            new ConversationAddress(c.Channel, c.ConversationId, c.ThreadId, c.IsDirect), c.MessageId))];

    /// <summary>
    /// The card that is this message, or whose thread this is: a card posted as the root of a thread, or posted inside a
    /// thread someone else started (a ticket filed from a Slack message, a Teams channel reply) — replies there are its.
    /// </summary>
    public string? FindKey(string channel, string conversationId, string messageId)
    {
        var key = MessageKey(channel, conversationId, messageId);
        return (_cards.ById(key) ?? _cards.FindOne(Filter.Any(ThreadKeyIndex, key)))?.Key;
    }

    private static string MessageKey(string channel, string conversation, string message) => $"{channel}|{conversation}|{message}";

    internal sealed class CardLocation
    {
        [BsonId]
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
