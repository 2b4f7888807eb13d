using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Slack's Socket Mode, chosen when <c>Slack:AppToken</c> is set, so the bot runs behind a firewall without a public URL:
/// <see cref="SlackOptions.SocketConnections"/> WebSockets from <c>apps.connections.open</c>, each envelope
/// acknowledged by its <c>envelope_id</c> (with the same body an HTTP acknowledgement would carry) after the inbox has
/// recorded it. A <c>disconnect</c> (refresh or warning) opens the replacement at once while the other connections keep
/// serving; failures reconnect with exponential backoff and jitter; WebSocket keep-alive pings detect a dead socket.
/// </summary>
internal sealed partial class SlackSocketMode(
    SlackApiClient api,
    SlackInbound inbound,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackSocketMode> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private int _connected;
    private int _opened;

    /// <summary>Connections that said hello and are open now.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Connections opened since start (reconnects included).</summary>
    public int Opened => Volatile.Read(ref _opened);

    // Connections Slack asked to go, still sending the acknowledgements of the work they took (see ServeAsync).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _retiring = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Enumerable.Range(0, options.Value.SocketConnections).Select(n => Task.Run(() => KeepConnectedAsync(n, stoppingToken), stoppingToken)));
        await Task.WhenAll(_retiring.Keys);
    }

    private async Task KeepConnectedAsync(int slot, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var url = await api.OpenSocketAsync(stoppingToken);
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
                socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(20);
                try
                {
                    await socket.ConnectAsync(url, stoppingToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                Interlocked.Increment(ref _opened);
                var (greeted, reason) = await ServeAsync(socket, slot, stoppingToken); // disposes the socket, or retires it
                if (greeted)
                {
                    failures = 0;
                }

                if (reason is "refresh_requested" or "warning")
                {
                    LogRefresh(slot, reason);
                    continue; // Slack recycles connections: replace it at once
                }

                if (reason == "too_many_websockets")
                {
                    LogTooMany(slot);
                }

                failures++;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or PlatformBot.Conversations.ChannelSendException or JsonException or IOException)
            {
                failures++;
                LogConnectionFailed(slot, ex.Message);
            }

            var backoff = Backoff(failures);
            LogReconnecting(slot, backoff);
            try
            {
                await Task.Delay(backoff, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads envelopes until Slack says disconnect or the socket closes; returns whether hello came and why it ended. It
    /// owns the socket: a socket Slack asked to go is kept open, without reading, until the work it took has been
    /// acknowledged on it (the envelopes were acknowledged nowhere else, and Slack would show the user a timeout and
    /// redeliver), and closed after that, while the caller opens the replacement at once.
    /// </summary>
    private async Task<(bool Greeted, string? Reason)> ServeAsync(ClientWebSocket socket, int slot, CancellationToken stoppingToken)
    {
        var greeted = false;
        var sendLock = new SemaphoreSlim(1, 1);
        var inFlight = new List<Task>();
        string? disconnect = null;
        try
        {
            while (socket.State == WebSocketState.Open && !stoppingToken.IsCancellationRequested)
            {
                var text = await ReceiveAsync(socket, options.Value.MaxBodyBytes, stoppingToken);
                if (text is null)
                {
                    return (greeted, null);
                }

                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                switch (SlackTranslator.Str(root, "type"))
                {
                    case "hello":
                        greeted = true;
                        Interlocked.Increment(ref _connected);
                        LogConnected(slot);
                        break;
                    case "disconnect":
                        disconnect = SlackTranslator.Str(root, "reason") ?? "unknown";
                        return (greeted, disconnect); // the caller opens the replacement right away
                    case "events_api":
                    case "slash_commands":
                    case "interactive":
                        inFlight.RemoveAll(t => t.IsCompleted);
                        inFlight.Add(HandleEnvelopeAsync(socket, sendLock, root.Clone(), stoppingToken));
                        break;
                    default:
                        break;
                }
            }

            return (greeted, null);
        }
        finally
        {
            if (greeted)
            {
                Interlocked.Decrement(ref _connected);
            }

            var acknowledged = Task.WhenAll(inFlight);
            if (disconnect is not null)
            {
                var retired = RetireAsync(socket, sendLock, acknowledged);
                _retiring[retired] = true;
                _ = retired.ContinueWith(t => _retiring.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                await acknowledged;
                socket.Dispose();
                sendLock.Dispose();
            }
        }
    }

    private static async Task RetireAsync(ClientWebSocket socket, SemaphoreSlim sendLock, Task acknowledged)
    {
        try
        {
            await acknowledged;
        }
        finally
        {
            await CloseQuietlyAsync(socket);
            socket.Dispose();
            sendLock.Dispose();
        }
    }

    private async Task HandleEnvelopeAsync(ClientWebSocket socket, SemaphoreSlim sendLock, JsonElement envelope, CancellationToken stoppingToken)
    {
        var envelopeId = SlackTranslator.Str(envelope, "envelope_id");
        if (envelopeId is null || !envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var kind = SlackTranslator.Str(envelope, "type") switch
        {
            "events_api" => SlackDeliveryKind.Event,
            "slash_commands" => SlackDeliveryKind.Command,
            _ => SlackDeliveryKind.Interaction,
        };
        JsonObject? body = null;
        try
        {
            if (kind != SlackDeliveryKind.Event || SlackTranslator.Str(payload, "type") == "event_callback")
            {
                body = await inbound.AcceptAsync(kind, payload, payload.GetRawText(), envelopeId);
            }
        }
        catch (PlatformBot.Storage.StorageException ex)
        {
            LogAckFailed(envelopeId, ex.Message); // not acknowledged: Slack delivers it again
            return;
        }

        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (body is not null && (!envelope.TryGetProperty("accepts_response_payload", out var accepts) || accepts.ValueKind != JsonValueKind.False))
        {
            ack["payload"] = body;
        }

        var bytes = Encoding.UTF8.GetBytes(ack.ToJsonString());
        await sendLock.WaitAsync(stoppingToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, stoppingToken);
            }
        }
        catch (WebSocketException ex)
        {
            LogAckFailed(envelopeId, ex.Message); // the inbox has it; Slack retries the envelope and the retry is dropped
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, int max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                if (message.Length + result.Count > max)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, cancellationToken);
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "refresh", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the old socket is going away either way
        }
    }

    private static TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Max(0, failures - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connection {Slot} is open")]
    private partial void LogConnected(int slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked Socket Mode connection {Slot} to go ({Reason}); replacing it")]
    private partial void LogRefresh(int slot, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack refused Socket Mode connection {Slot}: too many connections for this app (at most 10)")]
    private partial void LogTooMany(int slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection {Slot} failed: {Reason}")]
    private partial void LogConnectionFailed(int slot, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connection {Slot} reconnects in {Delay}")]
    private partial void LogReconnecting(int slot, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledging Slack envelope {EnvelopeId} failed: {Reason}")]
    private partial void LogAckFailed(string envelopeId, string reason);
}
