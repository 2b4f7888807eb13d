using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>The dev chat has no member lists: the members of a conversation are the people who have posted in it.</summary>
internal sealed class DevChatMembers(DevChatStore store) : IConversationMembers
{
    public string Channel => PlatformBot.Conversations.Channels.DevChat;

    public Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserRef>>([.. store.Posters(conversationId)
            .Where(p => p != DevChatSender.BotName)
            .Select(p => new UserRef(Channel, p))]);
}
