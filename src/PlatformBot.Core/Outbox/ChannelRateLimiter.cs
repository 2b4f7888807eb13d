namespace PlatformBot.Outbox;

/// <summary>
/// Token buckets on the injected clock (System.Threading.RateLimiting's limiters run on real time): one per conversation
/// (Slack's chat.postMessage allows about one message a second per channel, Teams seven a second per thread) and one per
/// chat platform for all conversations together (Slack's workspace-wide limit, Teams' 50 requests a second per app and
/// tenant). A message goes when both have a token, so a survey to 500 people is not paced like 500 messages to one channel.
/// </summary>
internal sealed class ChannelRateLimiter(TimeProvider time, IReadOnlyDictionary<string, double> perConversation, IReadOnlyDictionary<string, double> perChannel)
{
    // Buckets of conversations not written to for this long are full again and can be forgotten.
    private const int PruneAbove = 10_000;
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Takes a token for the conversation and one for its channel, or says how long to wait for both.</summary>
    public bool TryAcquire(string channel, string conversation, out TimeSpan wait)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var one = Refill("c|" + channel + "|" + conversation, perConversation.GetValueOrDefault(channel), now);
            var all = Refill("t|" + channel, perChannel.GetValueOrDefault(channel), now);
            wait = TimeSpan.FromSeconds(Math.Max(one?.SecondsToToken ?? 0, all?.SecondsToToken ?? 0));
            if (wait > TimeSpan.Zero)
            {
                return false;
            }

            one?.Take();
            all?.Take();
            if (_buckets.Count > PruneAbove)
            {
                Prune(now);
            }

            return true;
        }
    }

    private Bucket? Refill(string key, double rate, long now)
    {
        if (rate <= 0)
        {
            return null; // not limited
        }

        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket(rate) { Tokens = Capacity(rate), Stamp = now };
            _buckets[key] = bucket;
        }

        bucket.Tokens = Math.Min(Capacity(rate), bucket.Tokens + (time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * rate));
        bucket.Stamp = now;
        return bucket;
    }

    private void Prune(long now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + (time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * bucket.Rate) >= Capacity(bucket.Rate))
            {
                _buckets.Remove(key);
            }
        }
    }

    private static double Capacity(double rate) => Math.Max(1, rate);

    private sealed class Bucket(double rate)
    {
        public double Rate { get; } = rate;

        public double Tokens { get; set; }

        public long Stamp { get; set; }

        public double SecondsToToken => Tokens >= 1 ? 0 : (1 - Tokens) / Rate;

        public void Take() => Tokens -= 1;
    }
}
