using LiteDB;
using PlatformBot.Conversations;

namespace PlatformBot.Storage;

internal sealed class LiteDbCardDirectory : ICardDirectory
{
    private readonly ILiteCollection<CardLocation> _cards;

    public LiteDbCardDirectory(PlatformDatabase database)
    {
        _cards = database.Collection<CardLocation>("cards");
        _cards.EnsureIndex(c => c.Key);
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
            IsDirect = message.Conversation.IsDirect,
            MessageId = message.MessageId,
        };
        _cards.Upsert(location);
    }

    public IReadOnlyList<PostedMessage> Find(string cardKey) =>
        [.. _cards.Find(c => c.Key == cardKey).Select(c => new PostedMessage(
            new ConversationAddress(c.Channel, c.ConversationId, c.ThreadId, c.IsDirect), c.MessageId))];

    public string? FindKey(string channel, string conversationId, string messageId) =>
        _cards.FindOne(c => c.MessageKey == MessageKey(channel, conversationId, messageId))?.Key;

    private static string MessageKey(string channel, string conversation, string message) => $"{channel}|{conversation}|{message}";

    internal sealed class CardLocation
    {
        [BsonId]
        public string MessageKey { get; set; } = "";

        public string Key { get; set; } = "";

        public string Channel { get; set; } = "";

        public string ConversationId { get; set; } = "";

        public string? ThreadId { get; set; }

        public bool IsDirect { get; set; }

        public string MessageId { get; set; } = "";
    }
}
