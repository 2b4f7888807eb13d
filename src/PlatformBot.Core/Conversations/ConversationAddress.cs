namespace PlatformBot.Conversations;

/// <summary>Where a message lives: a channel's conversation, and within it, optionally, a thread.</summary>
/// <param name="Channel">One of <see cref="Channels"/>.</param>
/// <param name="ConversationId">The channel's conversation id (Slack channel id, Teams conversation id, dev chat conversation name).</param>
/// <param name="ThreadId">The id of the thread's root message, when the message is in a thread.</param>
/// <param name="IsDirect">A one-to-one conversation between the bot and one person.</param>
public sealed record ConversationAddress(string Channel, string ConversationId, string? ThreadId = null, bool IsDirect = false)
{
    public ConversationAddress InThread(string threadId) => this with { ThreadId = threadId };

    public ConversationAddress WithoutThread() => this with { ThreadId = null };
}
