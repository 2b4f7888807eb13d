using System.Text.Json;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>What the bot needs to answer a delivery where it came from.</summary>
internal sealed record SlackContext(string UserId)
{
    public string? Channel { get; init; }

    /// <summary>The thread the delivery happened in (its root's ts), if any.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>The message the delivery is about: the message typed, or the one carrying the clicked button.</summary>
    public string? MessageTs { get; init; }

    public bool IsDirect { get; init; }

    /// <summary>The clicked message is ephemeral: only <c>response_url</c> can change it.</summary>
    public bool SourceIsEphemeral { get; init; }

    public Uri? ResponseUrl { get; init; }

    public string? TriggerId { get; init; }

    public UserRef User => new(PlatformBot.Conversations.Channels.Slack, UserId);

    public ConversationAddress? Conversation =>
        Channel is null ? null : new ConversationAddress(PlatformBot.Conversations.Channels.Slack, Channel, ThreadTs, IsDirect);
}

/// <summary>One unit of work a delivery asks for, in neutral terms plus what is needed to answer it in Slack.</summary>
internal abstract record SlackWork(SlackContext Context);

internal sealed record CommandWork(IncomingCommand Command, SlackContext Context) : SlackWork(Context);

internal sealed record MessageWork(IncomingMessage Message, SlackContext Context) : SlackWork(Context);

internal sealed record InteractionWork(IncomingInteraction Interaction, SlackContext Context) : SlackWork(Context);

/// <summary>A modal submission: answered on the acknowledgement (field errors) when it is quick enough.</summary>
internal sealed record SubmissionWork(IncomingInteraction Interaction, SlackContext Context) : SlackWork(Context);

/// <summary>Someone opened the bot's Home tab.</summary>
internal sealed record HomeWork(SlackContext Context) : SlackWork(Context);

/// <summary>The ticket reaction on a message: the message's text is fetched, then filed.</summary>
internal sealed record ReactionWork(string Channel, string MessageTs, SlackContext Context) : SlackWork(Context);

/// <summary>"Open the form" on a message that carried a form but had no trigger to open a modal with.</summary>
internal sealed record OpenFormWork(string FormKey, SlackContext Context) : SlackWork(Context);

/// <summary>
/// Turns Slack payloads (slash command fields, Events API envelopes, interactivity payloads) into neutral commands,
/// messages and interactions. Pure: no I/O, no clock.
/// </summary>
internal static class SlackTranslator
{
    /// <summary>The action id of the button that opens a form a message could not open as a modal.</summary>
    public const string OpenFormAction = "slack.form.open";

    private static readonly HashSet<string> HandledSubtypes = new(StringComparer.Ordinal) { "thread_broadcast", "file_share" };

    /// <summary>The id that identifies a delivery across Slack's retries, or null when the payload has none.</summary>
    public static string? DeliveryId(SlackDeliveryKind kind, JsonElement payload, string? envelopeId = null) => kind switch
    {
        SlackDeliveryKind.Event => Str(payload, "event_id") is { } eventId ? "ev:" + eventId : EnvelopeKey(envelopeId),
        SlackDeliveryKind.Command => Str(payload, "trigger_id") is { } trigger ? "cmd:" + trigger : EnvelopeKey(envelopeId),
        _ => Str(payload, "trigger_id") is { } trigger ? "act:" + trigger
            : payload.TryGetProperty("container", out var c) && Str(payload, "action_ts") is { } ts ? $"act:{Str(c, "message_ts")}:{ts}"
            : EnvelopeKey(envelopeId),
    };

    private static string? EnvelopeKey(string? envelopeId) => envelopeId is null ? null : "env:" + envelopeId;

    public static SlackWork? FromCommand(JsonElement fields)
    {
        var command = Str(fields, "command")?.TrimStart('/').ToLowerInvariant();
        var userId = Str(fields, "user_id");
        var channel = Str(fields, "channel_id");
        if (string.IsNullOrEmpty(command) || userId is null || channel is null)
        {
            return null;
        }

        var direct = Str(fields, "channel_name") == "directmessage" || channel.StartsWith('D');
        var context = new SlackContext(userId)
        {
            Channel = channel,
            IsDirect = direct,
            ResponseUrl = Url(Str(fields, "response_url")),
            TriggerId = Str(fields, "trigger_id"),
        };
        var user = new UserRef(PlatformBot.Conversations.Channels.Slack, userId, Str(fields, "user_name"));
        // The trigger id is unique per invocation: a command worked on again after a restart files its ticket once.
        return new CommandWork(new IncomingCommand(command, SlackText.ToPlain(Str(fields, "text")).Trim(), user, context.Conversation!) { MessageId = context.TriggerId }, context);
    }

    /// <summary>
    /// An Events API envelope (<c>event_callback</c>) to work, or null for what the bot ignores: its own and other bots'
    /// messages, edits, joins, thread replies that are not in a card's thread, channels that are not support channels.
    /// </summary>
    public static SlackWork? FromEvent(JsonElement envelope, SlackOptions options, Func<string, string, bool> isCardThread)
    {
        if (!envelope.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var botUserId = BotUserId(envelope);
        var type = Str(ev, "type");
        var userId = Str(ev, "user");
        switch (type)
        {
            case "app_mention" when userId is not null && userId != botUserId && Str(ev, "bot_id") is null && Str(ev, "channel") is { } channel && Str(ev, "ts") is { } ts:
                {
                    var text = SlackText.ToPlain(SlackText.WithoutLeadingMention(Str(ev, "text") ?? string.Empty, botUserId));
                    return Message(ev, userId, channel, ts, text, addressed: true, direct: false);
                }

            case "message" when userId is not null && userId != botUserId && Str(ev, "bot_id") is null
                && (Str(ev, "subtype") is null || HandledSubtypes.Contains(Str(ev, "subtype")!))
                && Str(ev, "channel") is { } channel && Str(ev, "ts") is { } ts:
                {
                    var raw = Str(ev, "text") ?? string.Empty;
                    var direct = Str(ev, "channel_type") == "im";
                    if (!direct && botUserId is not null && SlackText.Mentions(raw, botUserId))
                    {
                        return null; // the app_mention event of the same message carries it
                    }

                    var thread = Str(ev, "thread_ts");
                    var inThread = thread is not null && thread != ts;
                    if (direct)
                    {
                        return Message(ev, userId, channel, ts, SlackText.ToPlain(raw), addressed: true, direct: true);
                    }

                    if (inThread)
                    {
                        return isCardThread(channel, thread!) ? Message(ev, userId, channel, ts, SlackText.ToPlain(raw), addressed: false, direct: false) : null;
                    }

                    return options.SupportChannels.Contains(channel)
                        ? Message(ev, userId, channel, ts, SlackText.ToPlain(raw), addressed: true, direct: false)
                        : null;
                }

            case "app_home_opened" when userId is not null && Str(ev, "tab") is null or "home":
                return new HomeWork(new SlackContext(userId));

            case "reaction_added" when userId is not null && userId != botUserId && Str(ev, "reaction") == options.TicketEmoji.Trim(':')
                && ev.TryGetProperty("item", out var item) && Str(item, "type") == "message"
                && Str(item, "channel") is { } channel && Str(item, "ts") is { } ts:
                return new ReactionWork(channel, ts, new SlackContext(userId) { Channel = channel, MessageTs = ts });

            default:
                return null;
        }
    }

    public static SlackWork? FromInteraction(JsonElement payload)
    {
        var userId = payload.TryGetProperty("user", out var u) ? Str(u, "id") : null;
        if (userId is null)
        {
            return null;
        }

        var user = new UserRef(PlatformBot.Conversations.Channels.Slack, userId, Str(u, "username") ?? Str(u, "name"));
        var channel = payload.TryGetProperty("channel", out var ch) ? Str(ch, "id") : null;
        var responseUrl = Url(Str(payload, "response_url"));
        var trigger = Str(payload, "trigger_id");
        switch (Str(payload, "type"))
        {
            case "block_actions" when payload.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0:
                {
                    var action = actions[0];
                    var actionId = Str(action, "action_id") ?? string.Empty;
                    var value = Str(action, "value")
                        ?? (action.TryGetProperty("selected_option", out var option) && option.ValueKind == JsonValueKind.Object ? Str(option, "value") : null);
                    payload.TryGetProperty("container", out var container);
                    payload.TryGetProperty("message", out var message);
                    var messageTs = (container.ValueKind == JsonValueKind.Object ? Str(container, "message_ts") : null)
                        ?? (message.ValueKind == JsonValueKind.Object ? Str(message, "ts") : null);
                    var threadTs = message.ValueKind == JsonValueKind.Object ? Str(message, "thread_ts") : null;
                    var context = new SlackContext(userId)
                    {
                        Channel = channel,
                        ThreadTs = threadTs != messageTs ? threadTs : null,
                        MessageTs = messageTs,
                        IsDirect = channel?.StartsWith('D') == true,
                        SourceIsEphemeral = container.ValueKind == JsonValueKind.Object && container.TryGetProperty("is_ephemeral", out var e) && e.ValueKind == JsonValueKind.True,
                        ResponseUrl = responseUrl,
                        TriggerId = trigger,
                    };
                    if (actionId == OpenFormAction && value is not null)
                    {
                        return new OpenFormWork(value, context);
                    }

                    var address = context.Conversation ?? Direct(userId);
                    return new InteractionWork(new IncomingInteraction(actionId, value, user, address) { MessageId = messageTs }, context);
                }

            case "view_submission" when payload.TryGetProperty("view", out var view):
                {
                    var origin = SlackFormOrigin.Parse(Str(view, "private_metadata"));
                    var context = new SlackContext(userId)
                    {
                        Channel = origin.Channel,
                        ThreadTs = origin.ThreadTs,
                        MessageTs = origin.MessageTs,
                        IsDirect = origin.Channel?.StartsWith('D') == true,
                        TriggerId = trigger,
                    };
                    var interaction = new IncomingInteraction(Str(view, "callback_id") ?? string.Empty, null, user, context.Conversation ?? Direct(userId))
                    {
                        Values = BlockKitRenderer.SubmittedValues(view),
                        IsFormSubmission = true,
                        State = origin.State,
                        MessageId = origin.MessageTs,
                    };
                    return new SubmissionWork(interaction, context);
                }

            case "shortcut" when Str(payload, "callback_id") is { } callback:
                {
                    var context = new SlackContext(userId) { TriggerId = trigger };
                    return new InteractionWork(new IncomingInteraction(callback, null, user, Direct(userId)), context);
                }

            case "message_action" when Str(payload, "callback_id") is { } callback && payload.TryGetProperty("message", out var message):
                {
                    var ts = Str(message, "ts");
                    var thread = Str(message, "thread_ts");
                    var context = new SlackContext(userId)
                    {
                        Channel = channel,
                        ThreadTs = thread != ts ? thread : null,
                        MessageTs = ts,
                        IsDirect = channel?.StartsWith('D') == true,
                        ResponseUrl = responseUrl,
                        TriggerId = trigger,
                    };
                    var text = SlackText.ToPlain(Str(message, "text"));
                    return new InteractionWork(new IncomingInteraction(callback, text, user, context.Conversation ?? Direct(userId)) { MessageId = ts }, context);
                }

            default:
                return null;
        }
    }

    /// <summary>The bot's own user id, which Slack names in every event's <c>authorizations</c>.</summary>
    public static string? BotUserId(JsonElement envelope) =>
        envelope.TryGetProperty("authorizations", out var auths) && auths.ValueKind == JsonValueKind.Array && auths.GetArrayLength() > 0
            ? Str(auths[0], "user_id")
            : null;

    /// <summary>The address of a person's DM with the bot before its channel id is known (<c>@U…</c>); the sender opens it.</summary>
    public static ConversationAddress Direct(string userId) => new(PlatformBot.Conversations.Channels.Slack, DirectPrefix + userId, IsDirect: true);

    public const string DirectPrefix = "@";

    private static MessageWork Message(JsonElement ev, string userId, string channel, string ts, string text, bool addressed, bool direct)
    {
        var thread = Str(ev, "thread_ts");
        var context = new SlackContext(userId)
        {
            Channel = channel,
            ThreadTs = thread is not null && thread != ts ? thread : null,
            MessageTs = ts,
            IsDirect = direct,
        };
        var message = new IncomingMessage(text, context.User, context.Conversation!, ts) { AddressedToBot = addressed };
        return new MessageWork(message, context);
    }

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Uri? Url(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;
}

/// <summary>Where a modal was opened from and the handler's state, carried in the view's <c>private_metadata</c>.</summary>
internal sealed record SlackFormOrigin(string? Channel, string? ThreadTs, string? MessageTs, string? State)
{
    public string Serialize() => JsonSerializer.Serialize(new Dictionary<string, string?> { ["c"] = Channel, ["t"] = ThreadTs, ["m"] = MessageTs, ["s"] = State });

    public static SlackFormOrigin Parse(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return new SlackFormOrigin(null, null, null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(metadata);
            var root = doc.RootElement;
            return new SlackFormOrigin(SlackTranslator.Str(root, "c"), SlackTranslator.Str(root, "t"), SlackTranslator.Str(root, "m"), SlackTranslator.Str(root, "s"));
        }
        catch (JsonException)
        {
            return new SlackFormOrigin(null, null, null, metadata);
        }
    }
}
