namespace PlatformBot.Conversations;

/// <summary>Delivers replies into one channel. Each adapter implements it with its renderer and outbound client.</summary>
public interface IChannelSender
{
    /// <summary>One of <see cref="Channels"/>.</summary>
    string Channel { get; }

    /// <summary>Posts a message; returns where it landed.</summary>
    /// <exception cref="ChannelSendException">The channel refused or could not be reached.</exception>
    Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken);

    /// <summary>Replaces a message the bot posted earlier.</summary>
    Task UpdateAsync(PostedMessage message, Reply reply, CancellationToken cancellationToken);

    /// <summary>The one-to-one conversation with a person, opened if needed.</summary>
    Task<ConversationAddress> OpenDirectAsync(UserRef user, CancellationToken cancellationToken);
}

/// <summary>A send that failed. Transient failures are retried by the outbox; permanent ones become dead letters.</summary>
public sealed class ChannelSendException : Exception
{
    public ChannelSendException(string message, bool isTransient, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public ChannelSendException()
    {
    }

    public ChannelSendException(string message)
        : base(message)
    {
    }

    public ChannelSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsTransient { get; }

    /// <summary>The channel asked us to wait this long (HTTP 429 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }
}
