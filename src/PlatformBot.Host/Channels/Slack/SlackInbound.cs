using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Where every verified Slack delivery arrives, over HTTP or Socket Mode: translated, recorded in the inbox (which drops
/// retries), then acknowledged. Slash commands and modal submissions are worked on at once for up to
/// <see cref="SlackOptions.InlineBudget"/> so their answer (or field errors) rides on the acknowledgement; everything
/// else is acknowledged at once and worked on by the background workers. The inbox row is written before the
/// acknowledgement, so a stop at any moment loses nothing: pending rows are worked on after the restart.
/// </summary>
internal sealed partial class SlackInbound
{
    private readonly SlackInbox _inbox;
    private readonly IBotRouter _router;
    private readonly SlackResponder _responder;
    private readonly SlackHome _home;
    private readonly SlackApiClient _api;
    private readonly SlackFormStash _forms;
    private readonly ICardDirectory _cards;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackInbound> _logger;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    public SlackInbound(
        SlackInbox inbox,
        IBotRouter router,
        SlackResponder responder,
        SlackHome home,
        SlackApiClient api,
        SlackFormStash forms,
        ICardDirectory cards,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackInbound> logger)
    {
        _inbox = inbox;
        _router = router;
        _responder = responder;
        _home = home;
        _api = api;
        _forms = forms;
        _cards = cards;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    internal ChannelReader<string> Queue => _queue.Reader;

    /// <summary>Records a delivery and returns the acknowledgement's body (null: an empty 200).</summary>
    public async Task<JsonObject?> AcceptAsync(SlackDeliveryKind kind, JsonElement payload, string payloadJson, string? envelopeId = null)
    {
        var work = Translate(kind, payload);
        if (work is null)
        {
            return null; // nothing for the bot: not even worth a row
        }

        var id = SlackTranslator.DeliveryId(kind, payload, envelopeId) ?? "sha:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(payloadJson)));
        if (!_inbox.TryAdd(id, kind, payloadJson))
        {
            LogDuplicate(id);
            return null;
        }

        if (work is not (CommandWork or SubmissionWork))
        {
            _queue.Writer.TryWrite(id);
            return null;
        }

        var slot = new AckSlot();
        _ = RunAsync(id, work, slot, CancellationToken.None);
        try
        {
            return await slot.Body.Task.WaitAsync(_options.InlineBudget, _time);
        }
        catch (TimeoutException)
        {
            if (slot.TryClose())
            {
                LogSlow(id);
                return null; // the answer follows through response_url
            }

            return await slot.Body.Task;
        }
    }

    /// <summary>Works on a pending inbox row (after a restart, or queued at acceptance).</summary>
    public async Task ProcessPendingAsync(string id, CancellationToken cancellationToken)
    {
        var row = _inbox.Get(id);
        if (row is not { Status: SlackInboxStatus.Pending } || row.PayloadJson.Length == 0)
        {
            return;
        }

        SlackWork? work;
        try
        {
            using var document = JsonDocument.Parse(row.PayloadJson);
            work = Translate(row.Kind, document.RootElement);
        }
        catch (JsonException)
        {
            work = null;
        }

        if (work is null)
        {
            _inbox.MarkDone(id);
            return;
        }

        await RunAsync(id, work, slot: null, cancellationToken);
    }

    private SlackWork? Translate(SlackDeliveryKind kind, JsonElement payload) => kind switch
    {
        SlackDeliveryKind.Command => SlackTranslator.FromCommand(payload),
        SlackDeliveryKind.Event => SlackTranslator.FromEvent(payload, _options, (channel, thread) => _cards.FindKey(PlatformBot.Conversations.Channels.Slack, channel, thread) is not null),
        _ => SlackTranslator.FromInteraction(payload),
    };

    private async Task RunAsync(string id, SlackWork work, AckSlot? slot, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await HandleAsync(work, cancellationToken);
            await _responder.DeliverAsync(id, work, reply, slot, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            slot?.Complete(null); // stopping: the row stays pending and is worked on after the restart
        }
        catch (Exception ex)
        {
            // The router never throws; this is a failure to reach Slack for an answer that is not in the outbox.
            LogFailed(ex, id);
            _inbox.MarkDone(id);
            slot?.Complete(null);
        }
    }

    private async Task<Reply> HandleAsync(SlackWork work, CancellationToken cancellationToken)
    {
        switch (work)
        {
            case CommandWork c:
                return await _router.HandleCommandAsync(c.Command, cancellationToken);
            case MessageWork m:
                return await _router.HandleMessageAsync(m.Message, cancellationToken);
            case InteractionWork i:
                return await _router.HandleInteractionAsync(i.Interaction, cancellationToken);
            case SubmissionWork s:
                return await _router.HandleInteractionAsync(s.Interaction, cancellationToken);
            case HomeWork h:
                await _home.PublishAsync(h.Context.User, cancellationToken);
                return Reply.None;
            case ReactionWork r:
                var text = await _api.MessageTextAsync(r.Channel, r.MessageTs, cancellationToken);
                if (text is null)
                {
                    return Reply.None;
                }

                return await _router.HandleInteractionAsync(SlackTranslator.FileFromMessage(r, text).Interaction, cancellationToken);
            case OpenFormWork f:
                return _forms.Find(f.FormKey) is { } stashed
                    ? Reply.OpenForm(stashed.Form)
                    : Reply.Private(Md.Text($"That form has expired. Please start again."));
            default:
                return Reply.None;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack delivery {Id} was seen before; acknowledged and dropped")]
    private partial void LogDuplicate(string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack delivery {Id} took longer than the inline budget; acknowledged, its answer follows")]
    private partial void LogSlow(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering Slack delivery {Id} failed")]
    private partial void LogFailed(Exception ex, string id);
}

/// <summary>
/// The acknowledgement of a delivery worked on inline: whoever comes first, the work with its answer or the request
/// giving up at the budget, decides whether the answer rides on it or follows through <c>response_url</c>.
/// </summary>
internal sealed class AckSlot
{
    private int _state; // 0 open, 1 used by the work, 2 closed by the request

    public TaskCompletionSource<JsonObject?> Body { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The work takes the acknowledgement for its answer; false when the request already went out without it.</summary>
    public bool TryUse() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    public bool TryClose() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

    public void Complete(JsonObject? body)
    {
        TryUse();
        Body.TrySetResult(body);
    }
}
