using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Teams conversation ids and our addresses: a channel thread is <c>19:…@thread.tacv2;messageid=170…</c>, which we keep
/// as the channel's id plus the thread's root message id.
/// </summary>
internal static class TeamsAddress
{
    private const string ThreadMarker = ";messageid=";

    public static string BaseConversationId(string conversationId)
    {
        var at = conversationId.IndexOf(ThreadMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    public static string? ThreadOf(string conversationId)
    {
        var at = conversationId.IndexOf(ThreadMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : conversationId[(at + ThreadMarker.Length)..];
    }

    public static ConversationAddress FromActivity(Activity activity)
    {
        var raw = activity.Conversation?.Id ?? string.Empty;
        var type = activity.Conversation?.ConversationType;
        var personal = type == "personal" || (type is null && activity.Conversation?.IsGroup != true);
        return new ConversationAddress(
            PlatformBot.Conversations.Channels.Teams,
            BaseConversationId(raw),
            type == "channel" ? ThreadOf(raw) : null,
            IsDirect: personal);
    }

    /// <summary>The id to post to: in a channel, a thread's id carries its root message; chats have no threads.</summary>
    public static string ConnectorConversationId(TeamsConversation conversation, string? threadId) =>
        conversation.IsChannel && !string.IsNullOrEmpty(threadId) ? conversation.Id + ThreadMarker + threadId : conversation.Id;
}
