using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.EndToEnd;

/// <summary>
/// Microsoft 365 Agents Playground (pinned npm package), installed and started by scripts/agents-playground.sh: offline,
/// telemetry off, on 127.0.0.1 only. Its HTTP and WebSocket API is the one its own web page uses
/// (../shared/research/agents-playground.md, "Non-UI API for tests"). Stopped by its process id.
/// </summary>
public sealed class AgentsPlayground : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private AgentsPlayground(Process process, int port, StringBuilder log)
    {
        _process = process;
        Port = port;
        _log = log;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private static string Script => Path.Combine(Repository.Root, "scripts", "agents-playground.sh");

    /// <summary>Installs (once) and starts the playground against a bot endpoint; skips the test when Node is missing.</summary>
    public static async Task<AgentsPlayground> StartAsync(string botEndpoint)
    {
        ExternalTools.RequireNode();
        var (exitCode, installLog) = await Repository.RunAsync("bash", Script, "install");
        if (exitCode != 0)
        {
            ExternalTools.Unavailable("the Agents Playground could not be installed from npm: " + installLog);
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Script, "start", "--app-endpoint", botEndpoint, "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PLAYGROUND_RUN_DIR"] = TempFolder.Create();
        var log = new StringBuilder();
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            if (line.StartsWith("Listening on ", StringComparison.Ordinal) && int.TryParse(line["Listening on ".Length..], out var port))
            {
                listening.TrySetResult(port);
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(listening.Task, process.WaitForExitAsync(TestContext.Current.CancellationToken), Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        if (ready != listening.Task)
        {
            var failed = new AgentsPlayground(process, 0, log);
            await failed.DisposeAsync();
            throw new InvalidOperationException("The Agents Playground did not start:\n" + failed.Log);
        }

        var playground = new AgentsPlayground(process, listening.Task.Result, log);
        Assert.Equal("pong", await playground.Http.GetStringAsync("_debug/ping", TestContext.Current.CancellationToken));
        return playground;
    }

    /// <summary>The playground's mock world: the personal chat's id and the current user's id.</summary>
    public async Task<(string PersonalChat, string User, string UserName)> ConfigAsync()
    {
        var config = JsonNode.Parse(await Http.GetStringAsync("_internal/v1/config", TestContext.Current.CancellationToken))!["config"]!;
        return ((string)config["personalChat"]!["id"]!, (string)config["currentUser"]!["id"]!, (string)config["currentUser"]!["name"]!);
    }

    public async Task<JsonNode?> PostAsync(string path, JsonObject body)
    {
        using var response = await Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The bot's messages as the playground shows them (createMessage / updateMessage frames of its WebSocket).</summary>
    public async Task<PlaygroundFeed> OpenStreamAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Port}/_ws_conversation/v1/conversations/stream"), TestContext.Current.CancellationToken);
        return new PlaygroundFeed(socket);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Frames from the playground's conversation WebSocket, read in the background; wait for the one you expect.</summary>
public sealed class PlaygroundFeed : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly List<JsonNode> _frames = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public PlaygroundFeed(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            lock (_frames)
            {
                if (_frames.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken); // polling a socket we do not own, not waiting for time to pass
        }

        lock (_frames)
        {
            throw new TimeoutException($"No frame with {what}; frames seen:\n{string.Join("\n", _frames.Select(f => f.ToJsonString()[..Math.Min(300, f.ToJsonString().Length)]))}");
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    if (JsonNode.Parse(message.ToArray()) is { } frame)
                    {
                        lock (_frames)
                        {
                            _frames.Add(frame);
                        }
                    }

                    message.SetLength(0);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        finally
        {
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
