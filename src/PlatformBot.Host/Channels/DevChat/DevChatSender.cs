using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>The dev chat's side of the outbox: bot messages appended to a conversation, DMs to <c>dm:{user}</c>.</summary>
internal sealed class DevChatSender(DevChatStore store, ICardDirectory cards, TimeProvider time) : IChannelSender
{
    public const string BotName = "PlatformBot";

    public string Channel => PlatformBot.Conversations.Channels.DevChat;

    public Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken) =>
        Task.FromResult(Post(to, reply, visibleTo: null));

    /// <summary>Posts a bot message now (the answer to a request); records its card so later updates find it.</summary>
    public PostedMessage Post(ConversationAddress to, Reply reply, string? visibleTo)
    {
        var row = store.Add(
            to.ConversationId,
            BotName,
            visibleTo,
            to.ThreadId,
            id => DevChatRenderer.Render(id, to.ConversationId, BotName, reply, to.ThreadId, time.GetUtcNow()));
        var posted = new PostedMessage(to, DevChatStore.MessageId(row.Id));
        if (reply.CardKey is { } key && visibleTo is null)
        {
            cards.Record(key, posted);
        }

        return posted;
    }

    public Task UpdateAsync(PostedMessage message, Reply reply, CancellationToken cancellationToken)
    {
        var row = store.Find(message.MessageId);
        if (row is not null)
        {
            store.Replace(message.MessageId, id => DevChatRenderer.Render(id, row.Conversation, BotName, reply, row.ThreadId, time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    public Task<ConversationAddress> OpenDirectAsync(UserRef user, CancellationToken cancellationToken) =>
        Task.FromResult(DirectAddress(user.Id));

    public static ConversationAddress DirectAddress(string user) => new(PlatformBot.Conversations.Channels.DevChat, "dm:" + user, IsDirect: true);
}
