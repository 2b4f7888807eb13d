using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Sends a handler's answer where it belongs in Slack. Messages for everyone are queued in the outbox in the same
/// transaction that marks the delivery handled (so an answer is never lost nor sent twice), then posted at once, right
/// after the acknowledgement, by this class itself: the outbox row waits <see cref="DirectPostGrace"/> before its
/// dispatcher would take it, and is marked delivered in the next batch (with the card's location) when the direct post
/// worked. So the common case costs no write of its own, and a failed post or a stop falls back to the outbox's retries.
/// Answers only the requester sees go on the acknowledgement, through <c>response_url</c>, or as an ephemeral message;
/// forms open as modals.
/// </summary>
internal sealed partial class SlackResponder(
    PlatformDatabase database,
    SlackInbox inbox,
    IOutbox outbox,
    SlackApiClient api,
    SlackSender sender,
    TimeProvider time,
    SlackFormStash forms,
    ICardDirectory cards,
    LiteDbOutbox deliveries,
    IOptions<SlackOptions> options,
    ILogger<SlackResponder> logger)
{
    private readonly Uri? _publicBaseUrl = options.Value.PublicBaseUrl;

    /// <summary>Longer than any direct post can take (a Web API call times out well before), so the two never overlap.</summary>
    private TimeSpan DirectPostGrace => TimeSpan.FromSeconds(30) + (2 * options.Value.ApiTimeout);

    /// <summary>
    /// The synchronous half: queues messages for everyone in the outbox and marks the delivery handled, in one
    /// transaction (the batch's, when called inside one), and decides the rest. Nothing leaves the process here.
    /// </summary>
    /// <param name="recorded">False when the delivery has no inbox row yet (inline work, recorded as handled by its caller): nothing to mark.</param>
    public SlackAnswer Plan(string deliveryId, SlackWork work, Reply reply, bool recorded = true)
    {
        var context = work.Context;
        var queued = new List<OutboundMessage>();
        var later = new List<Func<CancellationToken, Task>>();
        JsonObject? ack = null;

        if (reply.Form is { } form)
        {
            if (work is SubmissionWork)
            {
                ack = form.Errors.Count > 0
                    ? BlockKitRenderer.Errors(form)
                    : new JsonObject { ["response_action"] = "update", ["view"] = BlockKitRenderer.Modal(form, Origin(context, form.State)) };
            }
            else if (context.TriggerId is { } trigger)
            {
                later.Add(ct => OpenModalAsync(trigger, form, context, ct));
            }
            else
            {
                later.Add(ct => OfferFormAsync(form, context, ct));
            }
        }

        var message = reply with { Form = null };
        if (!message.IsNone)
        {
            if (message.ReplacesSource && context.MessageTs is { } sourceTs && context.Channel is { } sourceChannel)
            {
                later.Add(ct => ReplaceSourceAsync(sourceChannel, sourceTs, message, context, ct));
            }
            else if (message.Visibility == ReplyVisibility.OnlyRequester)
            {
                if (work is CommandWork)
                {
                    ack = Ephemeral(message);
                }
                else
                {
                    later.Add(ct => SendPrivateAsync(message, context, ct));
                }
            }
            else if (work is CommandWork && message.CardKey is null)
            {
                // in_channel through the acknowledgement works even in channels the bot is not a member of
                ack = InChannel(message);
            }
            else
            {
                queued.Add(new OutboundMessage($"slack:{deliveryId}", Where(work, message), message) { NotBefore = time.GetUtcNow() + DirectPostGrace });
            }
        }

        database.InTransaction(() =>
        {
            foreach (var item in queued)
            {
                outbox.Enqueue(item);
            }

            if (recorded)
            {
                inbox.MarkDone(deliveryId);
            }
        });
        return new SlackAnswer(deliveryId, ack, later, queued);
    }

    /// <summary>
    /// The asynchronous half, after the transaction committed: the acknowledgement, the direct posts, then other calls
    /// to Slack. Returns the posts that worked, to be marked delivered (<see cref="MarkPosted"/>) in a batch.
    /// </summary>
    public async Task<IReadOnlyList<SlackPosted>> FinishAsync(SlackAnswer answer, SlackWork work, AckSlot? slot, CancellationToken cancellationToken)
    {
        var steps = new List<Func<CancellationToken, Task>>(answer.Later);
        if (slot is not null && slot.TryUse())
        {
            slot.Complete(answer.Ack);
        }
        else if (answer.Ack is { } ack)
        {
            steps.Insert(0, ct => AckTooLateAsync(ack, work, ct));
        }

        var posted = new List<SlackPosted>();
        foreach (var message in answer.Queued)
        {
            try
            {
                var at = message.Destination switch
                {
                    ToConversation c => await sender.PostAsync(c.Address, message.Reply, cancellationToken),
                    ToUser u => await sender.PostAsync(await sender.OpenDirectAsync(u.User, cancellationToken), message.Reply, cancellationToken),
                    _ => null,
                };
                if (at is not null)
                {
                    posted.Add(new SlackPosted(message.IdempotencyKey, message.Reply.CardKey, at));
                }
            }
            catch (ChannelSendException ex) when (!ex.IsTransient && SlackApiClient.ErrorOf(ex) is "not_in_channel" or "channel_not_found"
                && work.Context.ResponseUrl is { } responseUrl && message.Destination is ToConversation)
            {
                // A slash command or shortcut in a conversation the bot may not post in (a private channel it was not
                // invited to, a DM between people): the outbox would only dead-letter it and the person would see
                // nothing. Its response_url still reaches that conversation, once; the card cannot be updated there.
                if (await AnswerThroughResponseUrlAsync(answer.DeliveryId, responseUrl, message.Reply, cancellationToken))
                {
                    posted.Add(new SlackPosted(message.IdempotencyKey, CardKey: null, At: null));
                }
            }
            catch (ChannelSendException ex)
            {
                LogDirectPostFailed(answer.DeliveryId, ex.Message); // the outbox delivers it after the grace, with retries
            }
        }

        foreach (var step in steps)
        {
            try
            {
                await step(cancellationToken);
            }
            catch (ChannelSendException ex)
            {
                LogAnswerFailed(answer.DeliveryId, ex.Message);
            }
        }

        return posted;
    }

    /// <summary>Inside a batch: what was posted directly is delivered for the outbox, and a card's place is remembered.</summary>
    public void MarkPosted(SlackPosted posted)
    {
        if (posted.CardKey is { } key && posted.At is { } at)
        {
            cards.Record(key, at);
        }

        if (deliveries.Get(posted.OutboxKey) is { Status: OutboxStatus.Pending } row)
        {
            row.Status = OutboxStatus.Delivered;
            row.DeliveredAt = time.GetUtcNow().UtcDateTime;
            deliveries.Update(row);
        }
    }

    /// <summary>Where a message for everyone goes: a card where it was asked (its thread becomes the card's); any other
    /// answer in the thread of the message it answers, so the channel stays readable.</summary>
    private static Destination Where(SlackWork work, Reply message)
    {
        var context = work.Context;
        if (context.Channel is null)
        {
            return new ToUser(context.User);
        }

        var address = context.Conversation!;
        if ((work is MessageWork && message.CardKey is null && !address.IsDirect) || work is ReactionWork)
        {
            // an answer goes in the asker's thread; a card filed from a message goes under that message
            address = address.InThread(context.ThreadTs ?? context.MessageTs!);
        }

        return new ToConversation(address);
    }

    private async Task OpenModalAsync(string trigger, Form form, SlackContext context, CancellationToken cancellationToken)
    {
        try
        {
            await api.OpenViewAsync(trigger, BlockKitRenderer.Modal(form, Origin(context, form.State)), cancellationToken);
        }
        catch (ChannelSendException ex) when (ex.Message.EndsWith("expired_trigger_id", StringComparison.Ordinal) || ex.Message.EndsWith("invalid_trigger_id", StringComparison.Ordinal))
        {
            await OfferFormAsync(form, context, cancellationToken); // a click brings a fresh trigger
        }
    }

    private Task OfferFormAsync(Form form, SlackContext context, CancellationToken cancellationToken)
    {
        var key = forms.Add(form, new SlackFormOrigin(context.Channel, context.ThreadTs, context.MessageTs, form.State));
        var offer = Reply.OfBlocks(
            new TextBlock(Md.Text($"*{form.Title}*")),
            new ActionsBlock([new Button(SlackTranslator.OpenFormAction, "Open the form", key, ButtonStyle.Primary)])) with
        { Visibility = ReplyVisibility.OnlyRequester };
        return SendPrivateAsync(offer, context, cancellationToken);
    }

    private async Task ReplaceSourceAsync(string channel, string ts, Reply message, SlackContext context, CancellationToken cancellationToken)
    {
        if (context.SourceIsEphemeral && context.ResponseUrl is { } responseUrl)
        {
            var body = BlockKitRenderer.Message(message, _publicBaseUrl);
            body["replace_original"] = true;
            await api.RespondAsync(responseUrl, body, cancellationToken);
            return;
        }

        await api.UpdateMessageAsync(channel, ts, BlockKitRenderer.Message(message, _publicBaseUrl), cancellationToken);
        if (message.CardKey is { } key)
        {
            cards.Record(key, new PostedMessage(new ConversationAddress(PlatformBot.Conversations.Channels.Slack, channel, context.ThreadTs), ts));
        }
    }

    private async Task SendPrivateAsync(Reply message, SlackContext context, CancellationToken cancellationToken)
    {
        if (context.ResponseUrl is { } responseUrl)
        {
            await api.RespondAsync(responseUrl, Ephemeral(message), cancellationToken);
        }
        else if (context.Channel is { } channel && !context.IsDirect)
        {
            await api.PostEphemeralAsync(channel, context.UserId, context.ThreadTs, BlockKitRenderer.Message(message, _publicBaseUrl), cancellationToken);
        }
        else
        {
            // no conversation to whisper in (Home tab, global shortcut, modal): the person's DM, durably
            outbox.Enqueue(new OutboundMessage($"slack-private:{Guid.NewGuid():N}", new ToUser(context.User), message with { Visibility = ReplyVisibility.InConversation }));
        }
    }

    private async Task<bool> AnswerThroughResponseUrlAsync(string deliveryId, Uri responseUrl, Reply message, CancellationToken cancellationToken)
    {
        var note = new ContextBlock([Md.Text($"I'm not a member of this conversation, so I can't keep this up to date here. Invite me with `/invite @PlatformBot` for updates in its thread.")]);
        try
        {
            await api.RespondAsync(responseUrl, InChannel(message with { Blocks = [.. message.Blocks, note] }), cancellationToken);
            return true;
        }
        catch (ChannelSendException ex)
        {
            LogAnswerFailed(deliveryId, ex.Message); // the outbox row stays: retried, then a dead letter an admin sees
            return false;
        }
    }

    /// <summary>The work outlived the inline budget: what would have been the acknowledgement's body follows another way.</summary>
    private async Task AckTooLateAsync(JsonObject ack, SlackWork work, CancellationToken cancellationToken)
    {
        if (ack["response_action"] is not null)
        {
            // a modal submission the modal closed on: tell the person what was wrong, in his DM
            var errors = ack["errors"] is JsonObject e ? string.Join("; ", e.Select(p => $"{p.Key}: {p.Value}")) : "the form could not be accepted";
            outbox.Enqueue(new OutboundMessage($"slack-late:{Guid.NewGuid():N}", new ToUser(work.Context.User), Reply.Text(Md.Text($"Your form was not accepted: {errors}. Please try again."))));
            return;
        }

        if (work.Context.ResponseUrl is { } responseUrl)
        {
            await api.RespondAsync(responseUrl, ack, cancellationToken);
        }
    }

    private JsonObject Ephemeral(Reply message)
    {
        var body = BlockKitRenderer.Message(message, _publicBaseUrl);
        body["response_type"] = "ephemeral";
        return body;
    }

    private JsonObject InChannel(Reply message)
    {
        var body = BlockKitRenderer.Message(message, _publicBaseUrl);
        body["response_type"] = "in_channel";
        return body;
    }

    private static string Origin(SlackContext context, string? state) =>
        new SlackFormOrigin(context.Channel, context.ThreadTs, context.MessageTs, state).Serialize();

    [LoggerMessage(Level = LogLevel.Information, Message = "Posting the answer to Slack delivery {Id} failed ({Error}); the outbox retries it")]
    private partial void LogDirectPostFailed(string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An answer to Slack delivery {Id} could not be sent: {Error}")]
    private partial void LogAnswerFailed(string id, string error);
}

/// <summary>What answering a delivery still needs once its transaction committed.</summary>
internal sealed record SlackAnswer(string DeliveryId, JsonObject? Ack, IReadOnlyList<Func<CancellationToken, Task>> Later, IReadOnlyList<OutboundMessage> Queued);

/// <summary>A message of the outbox that was posted directly: where it landed.</summary>
/// <param name="At">Null when it went through a response_url, which does not say where.</param>
internal sealed record SlackPosted(string OutboxKey, string? CardKey, PostedMessage? At);
