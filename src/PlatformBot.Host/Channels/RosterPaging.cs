using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels;

/// <summary>
/// One call of a roster listing (a page of members, a person's profile), waited out and tried again when the channel says
/// "too many requests" with a Retry-After. Reads are safe to repeat, unlike the posts the outbox retries with its own
/// bookkeeping. The wait runs on the injected clock; after <see cref="MaxAttempts"/> throttled tries, or on any refusal,
/// the listing gives up with a <see cref="MembersUnavailableException"/> whose reason the caller words.
/// </summary>
internal static class RosterPaging
{
    public const int MaxAttempts = 5;

    /// <summary>When the channel names no wait, try again after this long.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(1);

    /// <summary>A throttled channel asking for longer than this is not waited for: the run goes on without those members.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(2);

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, Func<ChannelSendException, string> explain, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (ChannelSendException ex) when (ex.IsTransient && ex.RetryAfter is var wait && attempt < MaxAttempts && (wait ?? DefaultWait) <= LongestWait)
            {
                await Task.Delay(wait ?? DefaultWait, time, cancellationToken);
            }
            catch (ChannelSendException ex)
            {
                throw new MembersUnavailableException(explain(ex), ex);
            }
        }
    }
}
