using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Storage;

/// <summary>
/// LiteDB's behaviour when the process dies during indexed writes is an open question upstream (LiteDB #2983), so we kill
/// the real host with SIGKILL in the middle of a stream of writes and check what a restart finds.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KilledMidWrite_EveryAcknowledgedMessageSurvives_AndTheDatabaseOpens()
    {
        var folder = TempFolder.Create();
        var acknowledged = new List<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancel = TestContext.Current.CancellationToken;

        using (var host = HostProcess.Start(folder))
        {
            using var http = await host.ReadyAsync(cancel);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var writer = Task.Run(
                async () =>
                {
                    for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            var text = $"message {i}";
                            var response = await http.PostAsJsonAsync("/api/dev/messages", new { user = "alice", conversation = "crash", text }, stop.Token);
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                lock (acknowledged)
                                {
                                    acknowledged.Add(text);
                                    if (acknowledged.Count == 40)
                                    {
                                        enough.TrySetResult();
                                    }
                                }
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                        {
                            return;
                        }
                    }
                },
                cancel);
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(60), cancel);
            host.Kill();
            await stop.CancelAsync();
            await writer;
        }

        await using var bot = await TestBot.StartAsync(folder);
        var stored = (await bot.ConversationAsync("crash", "alice")).Select(m => (string)m!["text"]!).ToHashSet();

        Assert.NotEmpty(acknowledged);
        Assert.All(acknowledged, text => Assert.Contains(text, stored));
    }

    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;

        private HostProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static HostProcess Start(string dataDirectory)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    typeof(PlatformBotHost).Assembly.Location,
                    $"--urls=http://127.0.0.1:{port}",
                    $"--PlatformBot:DataDirectory={dataDirectory}",
                    "--environment=Development",
                    "--Logging:LogLevel:Default=Warning",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new HostProcess(process, port);
        }

        public async Task<HttpClient> ReadyAsync(CancellationToken cancellationToken)
        {
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(10) };
            for (var attempt = 0; attempt < 300; attempt++)
            {
                try
                {
                    if ((await http.GetAsync("/healthz", cancellationToken)).IsSuccessStatusCode)
                    {
                        return http;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100, cancellationToken); // the child process is starting; bounded to 30 s
            }

            throw new TimeoutException("The host process did not start within 30 s.");
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }
    }
}
