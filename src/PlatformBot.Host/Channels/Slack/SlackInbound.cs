using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Where every verified Slack delivery arrives, over HTTP or Socket Mode. It is recorded in the inbox (which drops
/// retries) before it is acknowledged, so a stop at any moment loses nothing: pending rows are worked on after the
/// restart. Slash commands and modal submissions are worked on at once, so their answer (or field errors) rides on the
/// acknowledgement, for up to <see cref="SlackOptions.InlineBudget"/>; everything else is acknowledged at once and worked
/// on right after.
/// <para>
/// Writes are group-committed: the deliveries that arrive together are recorded, and their work done, in one LiteDB
/// transaction, so one disk flush serves them all (a flush costs milliseconds; one per request caps a bot at a few
/// hundred requests a second). Work whose handler does not finish synchronously (it waits for Slack or an AI service)
/// carries on outside the batch and commits on its own.
/// </para>
/// </summary>
internal sealed partial class SlackInbound
{
    private const int MaxBatch = 256;

    private readonly PlatformDatabase _database;
    private readonly SlackInbox _inbox;
    private readonly IBotRouter _router;
    private readonly SlackResponder _responder;
    private readonly SlackHome _home;
    private readonly SlackApiClient _api;
    private readonly SlackFormStash _forms;
    private readonly SlackTickets _tickets;
    private readonly ICardDirectory _cards;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackInbound> _logger;
    private readonly Channel<BatchItem> _batch = Channel.CreateUnbounded<BatchItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    // Batch loop only. Deliveries of the current batch whose work failed part-way, with the apology they are answered
    // with; work of the batch that left it (it awaits Slack, an AI service), reused if the batch runs again, so it is
    // never started twice; and whether the round being run must roll back.
    private readonly Dictionary<string, Reply> _apologies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<Reply>> _started = new(StringComparer.Ordinal);
    private bool _rollBack;

    public SlackInbound(
        PlatformDatabase database,
        SlackInbox inbox,
        IBotRouter router,
        SlackResponder responder,
        SlackHome home,
        SlackApiClient api,
        SlackFormStash forms,
        SlackTickets tickets,
        ICardDirectory cards,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackInbound> logger)
    {
        _database = database;
        _inbox = inbox;
        _router = router;
        _responder = responder;
        _home = home;
        _api = api;
        _forms = forms;
        _tickets = tickets;
        _cards = cards;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    // A delivery id is the inbox row's key; LiteDB refuses index keys over 1,023 bytes, and one refused insert fails the
    // whole batch. Slack's ids are short; a longer one (or none) is keyed by its hash, which deduplicates just the same.
    private const int MaxDeliveryIdLength = 200;

    private const int MaxRequeues = 5;

    private static readonly TimeSpan RequeueDelay = TimeSpan.FromSeconds(1);

    /// <summary>Records a delivery and returns the acknowledgement's body (null: an empty 200).</summary>
    /// <exception cref="StorageException">The delivery could not be recorded; the request must fail so Slack retries it.</exception>
    public async Task<JsonObject?> AcceptAsync(SlackDeliveryKind kind, JsonElement payload, string payloadJson, string? envelopeId = null)
    {
        var arrived = _time.GetTimestamp(); // Slack's 3 seconds count from here, queueing for the batch included
        var work = Translate(kind, payload);
        if (work is null)
        {
            return null; // nothing for the bot: not even worth a row
        }

        var given = SlackTranslator.DeliveryId(kind, payload, envelopeId);
        var id = given is { Length: <= MaxDeliveryIdLength }
            ? given
            : "sha:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(given ?? payloadJson)));
        var inline = work is CommandWork or SubmissionWork;
        if (inline && !_inFlight.TryAdd(id, 0))
        {
            LogDuplicate(id); // the same delivery is being worked on right now (a redelivered envelope)
            return null;
        }

        try
        {
            var item = new AcceptItem(id, kind, payloadJson, work, inline ? new AckSlot() : null);
            _batch.Writer.TryWrite(item);
            if (!await item.Recorded.Task)
            {
                LogDuplicate(id);
                return null;
            }

            if (item.Slot is not { } slot)
            {
                return null;
            }

            try
            {
                var left = _options.InlineBudget - _time.GetElapsedTime(arrived);
                return await slot.Body.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
            }
            catch (TimeoutException)
            {
                if (!slot.TryClose())
                {
                    return await slot.Body.Task;
                }

                // Acknowledged before the work is done: record it first, so a stop now does not lose it.
                LogSlow(id);
                var pending = new RecordPendingItem(id, kind, payloadJson);
                _batch.Writer.TryWrite(pending);
                await pending.Recorded.Task;
                return null; // the answer follows through response_url
            }
        }
        finally
        {
            if (inline)
            {
                _inFlight.TryRemove(id, out _); // from here on the inbox row answers for it
            }
        }
    }

    /// <summary>Queues deliveries a previous process acknowledged but did not finish.</summary>
    public void Resume(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            _batch.Writer.TryWrite(new ProcessItem(id));
        }
    }

    /// <summary>Runs the batches until stopped (the inbox worker's loop).</summary>
    public async Task RunBatchesAsync(CancellationToken stoppingToken)
    {
        var reader = _batch.Reader;
        var items = new List<BatchItem>(MaxBatch);
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            items.Clear();
            while (items.Count < MaxBatch && reader.TryRead(out var next))
            {
                items.Add(next);
            }

            var after = new List<Action>(items.Count);
            _apologies.Clear();
            _started.Clear();
            try
            {
                while (!TryRunBatch(items, after, stoppingToken))
                {
                    // Some deliveries' work failed part-way: nothing of the batch was stored. It runs again, with those
                    // deliveries answered by their apologies instead of being worked on (bounded: a round that rolls
                    // back has answered at least one more delivery that way; usually there are two rounds).
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing of the batch was stored: its requests fail and Slack retries them; its resumed rows stay pending.
                LogBatchFailed(ex, items.Count);
                foreach (var item in items.OfType<AcceptItem>())
                {
                    item.Recorded.TrySetException(new StorageException("The delivery could not be recorded.", ex));
                }

                foreach (var item in items.OfType<RecordPendingItem>())
                {
                    item.Recorded.TrySetException(new StorageException("The delivery could not be recorded.", ex));
                }

                foreach (var item in items.OfType<CompleteItem>())
                {
                    item.Slot?.Complete(null);
                }

                // Acknowledged work (its row is pending) and posts made (their outbox rows would go out again) come back
                // in a later batch, a few times: work that already left the batch is still running and records itself,
                // so it is not started again; what keeps failing stays for the restart (pending rows are resumed).
                List<BatchItem> again =
                [
                    .. items.OfType<ProcessItem>().Where(p => !_started.ContainsKey(p.Id) && p.Attempt < MaxRequeues).Select(p => p with { Attempt = p.Attempt + 1 }),
                    .. items.OfType<PostedItem>().Where(p => p.Attempt < MaxRequeues).Select(p => p with { Attempt = p.Attempt + 1 }),
                ];
                if (again.Count > 0)
                {
                    _ = RequeueAsync(again, stoppingToken);
                }

                continue;
            }

            foreach (var action in after)
            {
                action();
            }
        }
    }

    private async Task RequeueAsync(List<BatchItem> items, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RequeueDelay, _time, stoppingToken); // storage failed just now: not at once
        }
        catch (OperationCanceledException)
        {
            return; // stopping: pending rows are resumed after the restart
        }

        foreach (var item in items)
        {
            _batch.Writer.TryWrite(item);
        }
    }

    /// <summary>
    /// Runs the batch in one transaction; false when some delivery's work failed part-way (each such delivery now has its
    /// apology) and the batch was rolled back, to run again.
    /// </summary>
    private bool TryRunBatch(List<BatchItem> items, List<Action> after, CancellationToken stoppingToken)
    {
        after.Clear();
        _rollBack = false;
        try
        {
            _database.InTransaction(() =>
            {
                foreach (var item in items)
                {
                    Apply(item, after, stoppingToken);
                }

                if (_rollBack)
                {
                    throw new RollBackException();
                }
            });
            return true;
        }
        catch (RollBackException)
        {
            LogRolledBack(items.Count, _apologies.Count);
            return false;
        }
    }

    /// <summary>Inside the batch's transaction: records, works, and leaves what must wait for the commit in <paramref name="after"/>.</summary>
    private void Apply(BatchItem item, List<Action> after, CancellationToken stoppingToken)
    {
        switch (item)
        {
            case AcceptItem { Slot: { } slot } inline:
                if (_inbox.Seen(inline.Id))
                {
                    after.Add(() => inline.Recorded.TrySetResult(false));
                    return;
                }

                // Worked on before it is recorded: the row is written with the answer (one insert, as handled), and nothing
                // is acknowledged before that commits. Should the work outlast the budget, the request records it as
                // pending before it acknowledges (AcceptAsync).
                after.Add(() => inline.Recorded.TrySetResult(true));
                if (Work(inline.Id, inline.Kind, inline.Work, slot, after, stoppingToken))
                {
                    _inbox.AddDoneUnseen(inline.Id, inline.Kind); // found unseen above, in this transaction
                }

                return;
            case PostedItem posted:
                _responder.MarkPosted(posted.Posted);
                return;
            case RecordPendingItem pending:
                _inbox.TryAdd(pending.Id, pending.Kind, pending.PayloadJson); // not if the answer was recorded meanwhile
                after.Add(() => pending.Recorded.TrySetResult(true));
                return;
            case AcceptItem accept:
                if (!_inbox.TryAdd(accept.Id, accept.Kind, accept.PayloadJson))
                {
                    after.Add(() => accept.Recorded.TrySetResult(false));
                    return;
                }

                after.Add(() => accept.Recorded.TrySetResult(true));
                after.Add(() => _batch.Writer.TryWrite(new ProcessItem(accept.Id))); // acknowledged first, worked on next
                return;
            case CompleteItem complete:
                var answer = _responder.Plan(complete.Id, complete.Work, complete.Reply);
                _inbox.AddDone(complete.Id, complete.Kind); // inline work has no row yet
                after.Add(() => _ = FinishAsync(answer, complete.Work, complete.Slot, stoppingToken));
                return;
            case ProcessItem process:
                var row = _inbox.Get(process.Id);
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
                    _inbox.MarkDone(process.Id);
                    return;
                }

                _ = Work(process.Id, row.Kind, work, slot: null, after, stoppingToken);
                return;
            default:
                return;
        }
    }

    /// <summary>Starts the work; returns true when it finished inside the batch (its writes are in the batch's transaction).</summary>
    private bool Work(string id, SlackDeliveryKind kind, SlackWork work, AckSlot? slot, List<Action> after, CancellationToken stoppingToken)
    {
        if (_apologies.TryGetValue(id, out var apology))
        {
            var answered = _responder.Plan(id, work, apology, recorded: slot is null);
            after.Add(() => _ = FinishAsync(answered, work, slot, stoppingToken));
            return true;
        }

        if (!_started.Remove(id, out var handled))
        {
            handled = HandleAsync(work, slot is null ? stoppingToken : CancellationToken.None);
        }

        if (handled.IsCompletedSuccessfully)
        {
            if (PlatformDatabase.TakeAbandonedWork())
            {
                // The handler failed after some of its writes (the router answered with an apology): LiteDB has no
                // savepoints, so this round of the batch rolls back once it is through, and the batch runs again with
                // this delivery answered by the apology. Its writes are never stored.
                LogFailedPartWay(id);
                _apologies[id] = handled.Result;
                _rollBack = true;
                return true;
            }

            var answer = _responder.Plan(id, work, handled.Result, recorded: slot is null); // inline work has no row yet
            after.Add(() => _ = FinishAsync(answer, work, slot, stoppingToken));
            return true;
        }

        _started[id] = handled; // should this round roll back, the next one waits for this task instead of starting it again
        after.Add(() => _ = CompleteOutsideBatchAsync(id, kind, work, handled, slot, stoppingToken));
        return false;
    }

    private async Task FinishAsync(SlackAnswer answer, SlackWork work, AckSlot? slot, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var posted in await _responder.FinishAsync(answer, work, slot, stoppingToken))
            {
                _batch.Writer.TryWrite(new PostedItem(posted));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, answer.DeliveryId);
            slot?.Complete(null);
        }
    }

    /// <summary>Waits for work that left the batch (it waited for Slack, an AI service, or another store's own group
    /// commit), then brings its answer back into a batch, so marking it handled shares a flush too.</summary>
    private async Task CompleteOutsideBatchAsync(string id, SlackDeliveryKind kind, SlackWork work, Task<Reply> handled, AckSlot? slot, CancellationToken stoppingToken)
    {
        try
        {
            var reply = await handled;
            _batch.Writer.TryWrite(new CompleteItem(id, kind, work, reply, slot));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            slot?.Complete(null); // stopping: the row stays pending and is worked on after the restart
        }
        catch (Exception ex)
        {
            // The router never throws; this is a failure to reach Slack (a reaction's message, the Home tab's publish).
            LogFailed(ex, id);
            _batch.Writer.TryWrite(new CompleteItem(id, kind, work, Reply.None, slot));
        }
    }

    private SlackWork? Translate(SlackDeliveryKind kind, JsonElement payload) => kind switch
    {
        SlackDeliveryKind.Command => SlackTranslator.FromCommand(payload),
        SlackDeliveryKind.Event => SlackTranslator.FromEvent(payload, _options, (channel, thread) => _cards.FindKey(PlatformBot.Conversations.Channels.Slack, channel, thread) is not null),
        _ => SlackTranslator.FromInteraction(payload),
    };

    private async Task<Reply> HandleAsync(SlackWork work, CancellationToken cancellationToken)
    {
        switch (work)
        {
            case CommandWork c:
                return await _router.HandleCommandAsync(c.Command, cancellationToken);
            case MessageWork m:
                return await _router.HandleMessageAsync(m.Message, cancellationToken);
            case InteractionWork i when SlackTickets.IsShortcut(i.Interaction.ActionId) && _tickets.Available:
                return _tickets.Form(i.Interaction);
            case InteractionWork i:
                return await _router.HandleInteractionAsync(i.Interaction, cancellationToken);
            case SubmissionWork s:
                return await _router.HandleInteractionAsync(s.Interaction, cancellationToken);
            case HomeWork h:
                await Task.Yield(); // Slack calls: never inside the batch
                await _home.PublishAsync(h.Context.User, cancellationToken);
                return Reply.None;
            case ReactionWork r:
                if (!_tickets.Available)
                {
                    return Reply.None;
                }

                (string Text, string? User)? found;
                try
                {
                    found = await _api.MessageAsync(r.Channel, r.MessageTs, cancellationToken);
                }
                catch (ChannelSendException ex)
                {
                    // The person who reacted expects a ticket: tell them why there is none (privately; a DM if need be).
                    LogReactionUnread(r.Channel, ex.Message);
                    return Reply.Private(ex.IsTransient
                        ? Md.Text($"Slack did not let me read that message just now, so no ticket was filed. Please add the reaction again in a minute, or use `/ticket`.")
                        : Md.Text($"I can't read messages in that channel, so no ticket was filed. Invite me with `/invite @PlatformBot` and add the reaction again, or use `/ticket`."));
                }

                if (found is not { } message)
                {
                    return Reply.None; // deleted meanwhile
                }

                return await _tickets.FileAsync(r.Context.User, message.User, r.Channel, r.MessageTs, SlackText.ToPlain(message.Text), cancellationToken);
            case OpenFormWork f:
                return _forms.Find(f.FormKey) is { } stashed
                    ? Reply.OpenForm(stashed.Form)
                    : Reply.Private(Md.Text($"That form has expired. Please start again."));
            default:
                return Reply.None;
        }
    }

    private sealed class RollBackException() : Exception("Some work in the Slack batch failed part-way; the batch rolls back.");

    private abstract record BatchItem;

    /// <summary>A delivery to record (and, for commands and submissions, to work on in the same transaction).</summary>
    private sealed record AcceptItem(string Id, SlackDeliveryKind Kind, string PayloadJson, SlackWork Work, AckSlot? Slot) : BatchItem
    {
        public TaskCompletionSource<bool> Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A recorded delivery to work on.</summary>
    /// <param name="Attempt">How many failed batches it has come back from.</param>
    private sealed record ProcessItem(string Id, int Attempt = 0) : BatchItem;

    /// <summary>The answer of work that finished outside a batch, to record and send.</summary>
    private sealed record CompleteItem(string Id, SlackDeliveryKind Kind, SlackWork Work, Reply Reply, AckSlot? Slot) : BatchItem;

    /// <summary>A message posted directly: delivered for the outbox, and the card's place remembered.</summary>
    private sealed record PostedItem(SlackPosted Posted, int Attempt = 0) : BatchItem;

    /// <summary>Inline work that outlived the budget: recorded as pending before the empty acknowledgement goes out.</summary>
    private sealed record RecordPendingItem(string Id, SlackDeliveryKind Kind, string PayloadJson) : BatchItem
    {
        public TaskCompletionSource<bool> Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack delivery {Id} was seen before; acknowledged and dropped")]
    private partial void LogDuplicate(string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack delivery {Id} took longer than the inline budget; acknowledged, its answer follows")]
    private partial void LogSlow(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering Slack delivery {Id} failed")]
    private partial void LogFailed(Exception ex, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The work of Slack delivery {Id} failed part-way; its batch rolls back and runs again with that delivery answered by its apology")]
    private partial void LogFailedPartWay(string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} Slack deliveries was rolled back; it runs again with {Apologies} of them answered by their apologies")]
    private partial void LogRolledBack(int count, int apologies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ticket reaction in {Channel} could not read its message: {Reason}")]
    private partial void LogReactionUnread(string channel, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} Slack deliveries could not be stored; none was acknowledged")]
    private partial void LogBatchFailed(Exception ex, int count);
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
