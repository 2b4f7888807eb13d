namespace PlatformBot.Conversations;

/// <summary>
/// Who is in a conversation, for features that address its members one by one (a survey's <c>Channels</c> audience).
/// Each channel implements it when it can: Slack with <c>conversations.members</c> (+ <c>users.info</c> for time zones),
/// Teams with the roster (<c>GET /v3/conversations/{id}/members</c>); the dev chat with the people who posted there.
/// </summary>
public interface IConversationMembers
{
    /// <summary>One of <see cref="Channels"/>.</summary>
    string Channel { get; }

    /// <summary>The people in the conversation (never the bot), with their time zone when the channel knows it.</summary>
    Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken);
}
