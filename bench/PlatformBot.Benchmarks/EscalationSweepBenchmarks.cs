using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Features.Escalation;
using PlatformBot.Storage;

namespace PlatformBot.Benchmarks;

/// <summary>
/// The escalation sweep when many chains are waiting and none is due (what Quartz wakes every 15 s), against the peer a
/// sweep without the due-time index would be: reading every chain and filtering in memory.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class EscalationSweepBenchmarks
{
    private WebApplication? _app;
    private EscalationEngine? _engine;
    private PlatformDatabase? _database;

    [Params(10_000)]
    public int WaitingChains { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _app = BenchHost.StartAsync(BenchHost.TempFolder("escalation")).GetAwaiter().GetResult();
        _engine = _app.Services.GetRequiredService<EscalationEngine>();
        _database = _app.Services.GetRequiredService<PlatformDatabase>();
        var store = _app.Services.GetRequiredService<EscalationChainStore>();
        var now = _app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        _database.InTransaction(() =>
        {
            for (var i = 0; i < WaitingChains; i++)
            {
                store.Insert(new EscalationChain
                {
                    Id = $"PLAT-{i}:created",
                    TicketId = $"PLAT-{i}",
                    Trigger = "created",
                    Policy = "urgent",
                    Priority = "P1",
                    StartedAt = now.UtcDateTime,
                    Status = ChainStatus.Active,
                    NextAt = (now + TimeSpan.FromMinutes(10 + (i % 50))).UtcDateTime,
                });
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup() => BenchHost.StopAsync(_app!).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "peer: scan every chain")]
    public int FullScan()
    {
        var now = DateTime.UtcNow;
        return _database!.Collection<EscalationChain>("escalation_chains").FindAll().Count(c => c.Status == ChainStatus.Active && c.NextAt <= now);
    }

    [Benchmark(Description = "sweep: due-time index")]
    public int IdleSweep() => _engine!.RunDue();
}
