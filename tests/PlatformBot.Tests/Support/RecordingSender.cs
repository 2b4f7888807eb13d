using System.Collections.Concurrent;
using PlatformBot.Conversations;

namespace PlatformBot.Tests.Support;

/// <summary>A channel sender for tests: records what it sent and fails on demand, like a channel that is down.</summary>
public sealed class RecordingSender(string channel = "test") : IChannelSender, IDisposable
{
    private readonly SemaphoreSlim _posted = new(0);
    private int _next;

    public string Channel { get; } = channel;

    public ConcurrentQueue<(ConversationAddress To, Reply Reply)> Sent { get; } = new();

    public ConcurrentQueue<(PostedMessage At, Reply Reply)> Updated { get; } = new();

    /// <summary>While set, every send fails with this (a transient failure unless told otherwise).</summary>
    public ChannelSendException? FailWith { get; set; }

    /// <summary>Decides per attempt (1, 2, 3, …) whether a post fails, like a channel answering some calls with 429.</summary>
    public Func<int, ChannelSendException?>? FailOnAttempt { get; set; }

    private int _attempts;

    public int Attempts => _attempts;

    public Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (FailWith is { } failure)
        {
            throw failure;
        }

        if (FailOnAttempt?.Invoke(attempt) is { } scripted)
        {
            throw scripted;
        }

        Sent.Enqueue((to, reply));
        _posted.Release();
        return Task.FromResult(new PostedMessage(to, "msg-" + Interlocked.Increment(ref _next)));
    }

    public Task UpdateAsync(PostedMessage message, Reply reply, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (FailWith is { } failure)
        {
            throw failure;
        }

        Updated.Enqueue((message, reply));
        return Task.CompletedTask;
    }

    /// <summary>Waits, bounded, until the dispatcher's own loop has posted <paramref name="count"/> messages in all.</summary>
    public async Task WaitForPostsAsync(int count, TimeSpan timeout)
    {
        while (Sent.Count < count && await _posted.WaitAsync(timeout))
        {
        }
    }

    public Task<ConversationAddress> OpenDirectAsync(UserRef user, CancellationToken cancellationToken) =>
        Task.FromResult(new ConversationAddress(Channel, "dm-" + user.Id, IsDirect: true));

    public void Dispose() => _posted.Dispose();
}
