namespace PlatformBot.Conversations;

/// <summary>
/// Remembers where cards were posted (<see cref="Reply.CardKey"/>), so a ticket's card is updated in place and a reply in its
/// thread is known to be about that ticket.
/// </summary>
public interface ICardDirectory
{
    void Record(string cardKey, PostedMessage message);

    IReadOnlyList<PostedMessage> Find(string cardKey);

    /// <summary>The card whose message is the root of this thread (or is this message), if any.</summary>
    string? FindKey(string channel, string conversationId, string messageId);
}
