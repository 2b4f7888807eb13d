namespace PlatformBot.Conversations;

/// <summary>
/// Who is in a conversation, for features that address its members one by one (a survey's <c>Channels</c> audience).
/// Each channel implements it when it can: Slack with <c>conversations.members</c> (+ <c>users.info</c> for names, time
/// zones, bots and deactivated accounts), Teams with the paged roster (<c>GET /v3/conversations/{id}/pagedmembers</c>);
/// the dev chat with the people who posted there.
/// </summary>
public interface IConversationMembers
{
    /// <summary>One of <see cref="Channels"/>.</summary>
    string Channel { get; }

    /// <summary>The people in the conversation (never a bot, never a deactivated account), with their time zone when the channel knows it.</summary>
    /// <exception cref="MembersUnavailableException">The channel refused the list (the bot is not in the conversation, a scope is missing, …).</exception>
    Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken);
}

/// <summary>A conversation's members cannot be listed; <see cref="Reason"/> says why, in words for the person who set it up.</summary>
public sealed class MembersUnavailableException : Exception
{
    public MembersUnavailableException()
        : this("the channel refused the list")
    {
    }

    public MembersUnavailableException(string message)
        : base(message)
    {
    }

    public MembersUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why, in words for the person who set the audience up (the message).</summary>
    public string Reason => Message;
}
