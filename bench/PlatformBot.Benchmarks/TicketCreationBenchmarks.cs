using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Benchmarks;

/// <summary>
/// Filing tickets through the router (`/ticket p3 #ci …` as typed in the dev chat, with its message id as the
/// idempotency key) into LiteDB on disk, with the whole host running. One caller is the peer: it waits for each commit
/// (one flush to disk per ticket); 64 callers share commits through the store's group commit.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class TicketCreationBenchmarks
{
    private const int Concurrent = 5_000;
    private const int OneByOne = 200;
    private static readonly ConversationAddress Support = new(Channels.DevChat, "support");

    private WebApplication? _app;
    private IBotRouter? _router;
    private int _message;

    [GlobalSetup]
    public void Setup()
    {
        _app = BenchHost.StartAsync(BenchHost.TempFolder("create")).GetAwaiter().GetResult();
        _router = _app.Services.GetRequiredService<IBotRouter>();
    }

    [GlobalCleanup]
    public void Cleanup() => BenchHost.StopAsync(_app!).GetAwaiter().GetResult();

    /// <summary>The peer: one caller, so every ticket waits for its own commit.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = OneByOne)]
    public Task OneCaller() => FileAsync(OneByOne, callers: 1);

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task SixtyFourCallers() => FileAsync(Concurrent, callers: 64);

    private Task FileAsync(int tickets, int callers)
    {
        var remaining = tickets;
        return Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var user = new UserRef(Channels.DevChat, $"user{caller}");
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var id = Interlocked.Increment(ref _message);
                var reply = await _router!.HandleCommandAsync(new IncomingCommand("ticket", "p3 #ci Build agents are out of disk", user, Support) { MessageId = $"m{id}" });
                if (reply.CardKey is null)
                {
                    throw new InvalidOperationException("Filing failed: " + reply.ToPlainText());
                }
            }
        }));
    }
}
