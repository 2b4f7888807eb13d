namespace PlatformBot.Outbox;

/// <summary>A token bucket per channel on the injected clock (System.Threading.RateLimiting's limiters run on real time).</summary>
internal sealed class ChannelRateLimiter(TimeProvider time, IReadOnlyDictionary<string, double> ratePerSecond)
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Takes a token, or says how long to wait for one.</summary>
    public bool TryAcquire(string channel, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (!ratePerSecond.TryGetValue(channel, out var rate) || rate <= 0)
        {
            return true;
        }

        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (!_buckets.TryGetValue(channel, out var bucket))
            {
                bucket = new Bucket { Tokens = Math.Max(1, rate), Stamp = now };
                _buckets[channel] = bucket;
            }

            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(Math.Max(1, rate), bucket.Tokens + (elapsed * rate));
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - bucket.Tokens) / rate);
            return false;
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Stamp { get; set; }
    }
}
