using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;

using PlatformBot.Storage;

namespace PlatformBot.Benchmarks;

/// <summary>
/// The SLA figures of issue 3 with 100,000 open tickets carrying timers: start-up of a fresh host process until
/// /readyz answers, idle CPU of that process, and the time from a due time to its breach event, for the recurring sweep
/// (the choice) and for one Quartz trigger at the earliest due time (the peer).
/// </summary>
internal static class SlaScenarios
{
    private const int OpenTickets = 100_000;
    private static readonly ConversationAddress Support = new(Channels.DevChat, "support");
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var idleSeconds = ArgInt(args, "--idle-seconds", 60);
        var folder = ArgString(args, "--data") ?? BenchHost.TempFolder("sla");
        var seed = Path.Combine(folder, "seed");
        Directory.CreateDirectory(seed);
        var hostDll = ArgString(args, "--host") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "PlatformBot.Host.dll"));
        Console.WriteLine($"# SLA scenarios, {Environment.ProcessorCount} cores, data in {folder}");

        if (!File.Exists(Path.Combine(seed, "platformbot.db")))
        {
            await SeedAsync(seed);
        }

        Console.WriteLine($"database: {new FileInfo(Path.Combine(seed, "platformbot.db")).Length / 1_048_576.0:F0} MB");

        if (!args.Contains("--latency-only"))
        {
            await StartupAndIdleAsync(hostDll, seed, idleSeconds);
        }

        foreach (var earliest in new[] { false, true })
        {
            var name = earliest ? "one trigger at the earliest due time (choice)" : "recurring sweep every 500 ms (peer)";
            await LatencyAsync($"due → breach event, spread: 600 breaches over 30 s, {name}", seed, earliest, tickets: 600, spreadSeconds: 30);
            await LatencyAsync($"due → breach event, burst: 2,000 breaches due together, {name}", seed, earliest, tickets: 2_000, spreadSeconds: 0);
        }

        return 0;
    }

    private static async Task StartupAndIdleAsync(string hostDll, string seed, int idleSeconds)
    {
        var empty = BenchHost.TempFolder("empty");
        await StartupAsync("start-up, empty database (peer)", hostDll, empty);
        await StartupAsync($"start-up, {OpenTickets:N0} open tickets", hostDll, seed);

        await IdleAsync($"idle, {OpenTickets:N0} open tickets, one trigger at the earliest due time + 1 min safety-net sweep (choice)", hostDll, seed, ["--Sla:SweepInterval=00:01:00"], idleSeconds);
        await IdleAsync($"idle, {OpenTickets:N0} open tickets, recurring sweep every 500 ms (peer)", hostDll, seed, ["--Sla:SweepInterval=00:00:00.500", "--Sla:EarliestDueTrigger=false"], idleSeconds);
        await IdleAsync($"idle, {OpenTickets:N0} open tickets, no SLA timer machinery (floor: sweep every 5 min, no trigger)", hostDll, seed, ["--Sla:SweepInterval=00:05:00", "--Sla:EarliestDueTrigger=false"], idleSeconds);
    }

    private static async Task SeedAsync(string folder)
    {
        var app = await BenchHost.StartAsync(folder);
        var tickets = app.Services.GetRequiredService<ITickets>();
        var watch = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async caller =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= OpenTickets)
            {
                var priority = n % 3 == 0 ? TicketPriority.P4 : TicketPriority.P3;
                await tickets.FileAsync(new TicketRequest(new UserRef(Channels.DevChat, $"user{n % 500}"), $"Seeded ticket {n}", Support) { Priority = priority }, CancellationToken.None);
            }
        }));
        Console.WriteLine($"seeded {OpenTickets:N0} open tickets through ITickets in {watch.Elapsed.TotalSeconds:F1} s ({OpenTickets / watch.Elapsed.TotalSeconds:N0}/s, 64 callers)");
        await BenchHost.StopAsync(app);
    }

    private static async Task StartupAsync(string name, string hostDll, string folder)
    {
        var runs = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var (process, port, watch) = StartProcess(hostDll, folder, []);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                while (watch.Elapsed < TimeSpan.FromSeconds(60))
                {
                    try
                    {
                        var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
                        if (ready.IsSuccessStatusCode)
                        {
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // not listening yet
                    }

                    await Task.Delay(10);
                }

                runs.Add(watch.Elapsed.TotalSeconds);
            }
            finally
            {
                Stop(process);
            }
        }

        Console.WriteLine($"| {name} | process start → /readyz 200: median {Median(runs):F2} s, max {runs.Max():F2} s (3 runs) |");
    }

    private static async Task IdleAsync(string name, string hostDll, string folder, string[] settings, int seconds)
    {
        var (process, port, _) = StartProcess(hostDll, folder, settings);
        try
        {
            using var http = new HttpClient();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(10)); // start-up work (JIT, first sweeps) settles
            process.Refresh();
            var before = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            process.Refresh();
            var used = process.TotalProcessorTime - before;
            Console.WriteLine($"| {name} | whole host process: {used.TotalMilliseconds:F0} ms CPU in {watch.Elapsed.TotalSeconds:F0} s = {100 * used / watch.Elapsed:F3}% of one core |");
        }
        finally
        {
            Stop(process);
        }
    }

    private static async Task LatencyAsync(string name, string seed, bool earliestDue, int tickets, int spreadSeconds)
    {
        var folder = BenchHost.TempFolder("latency");
        File.Copy(Path.Combine(seed, "platformbot.db"), Path.Combine(folder, "platformbot.db"));
        using var recorder = new BreachRecorder();
        var settings = new Dictionary<string, string>
        {
            ["Sla:Policies:P1:FirstResponse"] = "00:00:15",
            ["Sla:SweepInterval"] = earliestDue ? "00:01:00" : "00:00:00.500",
            ["Sla:EarliestDueTrigger"] = earliestDue ? "true" : "false",
        };
        var app = await BenchHost.StartAsync(folder, settings, services =>
        {
            services.AddSingleton(recorder);
            services.AddDomainEventHandler<SlaBreached, BreachRecorder.Handler>();
            services.AddDomainEventProjection<SlaBreached, BreachRecorder.Committed>();
        });
        var filing = app.Services.GetRequiredService<ITickets>();
        var watch = Stopwatch.StartNew();
        var next = 0;
        var callers = spreadSeconds == 0 ? 64 : 4;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= tickets)
            {
                if (spreadSeconds > 0)
                {
                    var at = TimeSpan.FromSeconds(spreadSeconds * (n - 1) / (double)tickets);
                    if (at > watch.Elapsed)
                    {
                        await Task.Delay(at - watch.Elapsed);
                    }
                }

                await filing.FileAsync(new TicketRequest(new UserRef(Channels.DevChat, "latency"), $"Due soon {n}", Support) { Priority = TicketPriority.P1 }, CancellationToken.None);
            }
        }));
        var filedIn = watch.Elapsed;
        await recorder.WaitForAsync(tickets, TimeSpan.FromSeconds(spreadSeconds + 120));
        foreach (var (what, latencies) in new[] { ("breach raised: the event committed with the ticket", recorder.CommittedMs()), ("breach handled: a subscriber, beside escalation's handler", recorder.LatenciesMs()) })
        {
            latencies.Sort();
            Console.WriteLine(latencies.Count == 0
                ? $"| {name}, {what} | no breach events within the wait |"
                : $"| {name}, {what} | {latencies.Count:N0} events (filed in {filedIn.TotalSeconds:F1} s): p50 {Percentile(latencies, 0.5):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms |");
        }
        await BenchHost.StopAsync(app);
    }

    private static (Process Process, int Port, Stopwatch Watch) StartProcess(string hostDll, string folder, string[] settings)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                hostDll,
                $"--urls=http://127.0.0.1:{port}",
                "--environment=Production",
                $"--PlatformBot:DataDirectory={folder}",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("host: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, port, watch);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string? ArgString(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static int ArgInt(string[] args, string name, int fallback) => ArgString(args, name) is { } v ? int.Parse(v, Invariant) : fallback;

    internal sealed class BreachRecorder : IDisposable
    {
        private readonly ConcurrentQueue<double> _latencies = new();
        private readonly ConcurrentQueue<double> _committed = new();
        private readonly SemaphoreSlim _signal = new(0);

        public List<double> LatenciesMs() => [.. _latencies];

        public List<double> CommittedMs() => [.. _committed];

        public void Dispose() => _signal.Dispose();

        public void Record(SlaBreached breach)
        {
            _latencies.Enqueue((TimeProvider.System.GetUtcNow() - breach.DueAt).TotalMilliseconds);
            _signal.Release();
        }

        public async Task WaitForAsync(int count, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (_latencies.Count < count && watch.Elapsed < timeout)
            {
                await _signal.WaitAsync(TimeSpan.FromSeconds(1));
            }
        }

        /// <summary>The moment the sweep's transaction that raised the breach committed (a projection runs inside it).</summary>
        internal sealed class Committed(BreachRecorder recorder) : IDomainEventProjection<SlaBreached>
        {
            public void Apply(SlaBreached domainEvent) =>
                PlatformDatabase.AfterCommit(() => recorder._committed.Enqueue((TimeProvider.System.GetUtcNow() - domainEvent.DueAt).TotalMilliseconds));
        }

        internal sealed class Handler(BreachRecorder recorder) : IDomainEventHandler<SlaBreached>
        {
            public Task HandleAsync(SlaBreached domainEvent, CancellationToken cancellationToken)
            {
                recorder.Record(domainEvent);
                return Task.CompletedTask;
            }
        }
    }
}
