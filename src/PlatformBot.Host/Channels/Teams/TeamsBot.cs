using System.Text.Json;
using System.Text.Json.Nodes;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Routing;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>What <c>/api/messages</c> answers: a status, and for invokes a body (the refreshed card, a note, an error).</summary>
internal readonly record struct TeamsResponse(int Status, JsonObject? Body = null)
{
    public static readonly TeamsResponse Ok = new(StatusCodes.Status200OK);
}

/// <summary>
/// Handles an authenticated activity: messages and card actions go through the router, and its answer goes back to Teams
/// (as a reply, an update of the clicked card, a direct message, or the invoke response); installs get a welcome once.
/// An answer the connector could not take right now goes to the outbox, so nothing acknowledged is lost.
/// </summary>
internal sealed partial class TeamsBot(
    IBotRouter router,
    TeamsSender sender,
    TeamsConversationStore store,
    TeamsCardLocations cards,
    IOutbox outbox,
    Microsoft.Extensions.Options.IOptions<TeamsOptions> options,
    ILogger<TeamsBot> logger)
{
    public const string AdaptiveCardAction = "adaptiveCard/action";

    /// <summary>Nobody in particular: a requester, since Team:Agents and Team:Admins refuse empty entries.</summary>
    private static readonly UserRef AnyMember = new(PlatformBot.Conversations.Channels.Teams, string.Empty);

    /// <summary>Said in the conversation when a private answer cannot reach the person: that there is one, never what it says.</summary>
    private static readonly Reply NoDirectChat = Reply.Text(Md.Text($"I couldn't send you a private message; open a chat with me and try again."));

    public async Task<TeamsResponse> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case Activity.Message:
                await OnMessageAsync(activity, cancellationToken);
                return TeamsResponse.Ok;
            case Activity.Invoke:
                return await OnInvokeAsync(activity, cancellationToken);
            case Activity.ConversationUpdate:
                await OnConversationUpdateAsync(activity, cancellationToken);
                return TeamsResponse.Ok;
            case Activity.InstallationUpdate:
                await OnInstallationUpdateAsync(activity, cancellationToken);
                return TeamsResponse.Ok;
            default:
                return TeamsResponse.Ok;
        }
    }

    private async Task OnMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Value is { ValueKind: JsonValueKind.Object } value && string.IsNullOrWhiteSpace(activity.Text))
        {
            // Action.Submit (the fallback of our Action.Execute buttons) arrives as a message carrying the card's data.
            if (AdaptiveCardRenderer.ReadAction(value, verb: null) is { } action)
            {
                var answer = await router.HandleInteractionAsync(ActivityTranslator.Interaction(activity, action), cancellationToken);
                await DeliverAsync(activity, answer, activity.ReplyToId, cancellationToken);
            }

            return;
        }

        var reply = await router.HandleMessageAsync(ActivityTranslator.Message(activity), cancellationToken);
        await DeliverAsync(activity, reply, sourceId: null, cancellationToken);
    }

    private async Task<TeamsResponse> OnInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Name != AdaptiveCardAction)
        {
            return new TeamsResponse(StatusCodes.Status501NotImplemented);
        }

        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("type", out var type) || type.GetString() != "Action.Execute")
        {
            return new TeamsResponse(StatusCodes.Status400BadRequest, AdaptiveCardRenderer.InvokeError(400, "BadRequest", "An adaptiveCard/action invoke needs value.action of type Action.Execute."));
        }

        var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var data = action.TryGetProperty("data", out var d) ? d : default;
        var cardAction = AdaptiveCardRenderer.ReadAction(data, verb)
            ?? (string.IsNullOrEmpty(verb) ? null : new CardAction(verb, null, new Dictionary<string, string>(), false, null));
        if (cardAction is null)
        {
            return new TeamsResponse(StatusCodes.Status400BadRequest, AdaptiveCardRenderer.InvokeError(400, "BadRequest", "The action has neither a verb nor PlatformBot data."));
        }

        var reply = await router.HandleInteractionAsync(ActivityTranslator.Interaction(activity, cardAction), cancellationToken);
        return new TeamsResponse(StatusCodes.Status200OK, await InvokeAnswerAsync(activity, reply, cancellationToken));
    }

    /// <summary>
    /// Universal Actions: the invoke response replaces the card for the person who clicked; an answer that replaces the card
    /// for everyone is also written over the message (PUT), as the SDKs' "replace for all" does, and a private one replaces
    /// it for the clicker only; a short private answer is a note under the card; anything else is posted as a message.
    /// </summary>
    private async Task<JsonObject> InvokeAnswerAsync(Activity activity, Reply reply, CancellationToken cancellationToken)
    {
        if (reply.IsNone)
        {
            return AdaptiveCardRenderer.InvokeMessage("Done.");
        }

        if (reply.Form is not null)
        {
            return AdaptiveCardRenderer.InvokeCard(AdaptiveCardRenderer.Card(reply, options.Value.PublicBaseUrl));
        }

        if (reply.ReplacesSource && reply.Visibility == ReplyVisibility.InConversation)
        {
            await DeliverAsync(activity, reply, activity.ReplyToId, cancellationToken);
            return AdaptiveCardRenderer.InvokeCard(AdaptiveCardRenderer.Card(reply, options.Value.PublicBaseUrl));
        }

        if (reply.ReplacesSource)
        {
            // Private and replacing the clicked card: exactly what a card in the invoke response is (only the clicker sees it).
            return AdaptiveCardRenderer.InvokeCard(AdaptiveCardRenderer.Card(reply, options.Value.PublicBaseUrl));
        }

        if (reply.Visibility == ReplyVisibility.OnlyRequester && !reply.Actions().Any())
        {
            return AdaptiveCardRenderer.InvokeMessage(reply.ToPlainText());
        }

        await DeliverAsync(activity, reply with { ReplacesSource = false }, sourceId: null, cancellationToken);
        return AdaptiveCardRenderer.InvokeMessage("Done.");
    }

    private async Task OnConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        var botId = activity.Recipient?.Id;
        if ((activity.MembersRemoved ?? []).Any(m => m.Id == botId) && activity.Conversation?.Id is { } removedFrom)
        {
            store.Forget(TeamsAddress.BaseConversationId(removedFrom));
            return;
        }

        var added = activity.MembersAdded ?? [];
        var personal = TeamsAddress.FromActivity(activity).IsDirect;
        if (added.Any(m => m.Id == botId) || (personal && added.Any(m => m.Id != botId)))
        {
            await WelcomeAsync(activity, cancellationToken);
        }
    }

    private async Task OnInstallationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Action == "remove" && activity.Conversation?.Id is { } conversationId)
        {
            store.Forget(TeamsAddress.BaseConversationId(conversationId));
        }
        else if (activity.Action == "add")
        {
            await WelcomeAsync(activity, cancellationToken);
        }
    }

    /// <summary>Says hello once per conversation (install and conversationUpdate both announce it), with what the bot can do.</summary>
    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var address = TeamsAddress.FromActivity(activity).WithoutThread();
        if (!store.TryMarkWelcomed(address.ConversationId))
        {
            return;
        }

        // In a team or group chat everyone reads the welcome: it lists what anyone may do, not what the installer (an admin, often) may.
        var reader = address.IsDirect ? ActivityTranslator.User(activity) : AnyMember;
        var help = await router.HandleCommandAsync(new IncomingCommand(BotRouter.HelpCommand, string.Empty, reader, address), cancellationToken);
        var welcome = new Reply
        {
            Blocks =
            [
                new HeaderBlock(Md.Text($"Hello! I'm PlatformBot, the platform team's assistant.")),
                new TextBlock(Md.Text($"Ask me for help, open a ticket, or check on one. In a channel, mention me; here, just type.")),
                .. help.Blocks.IsDefaultOrEmpty ? [] : help.Blocks,
            ],
        };
        try
        {
            await sender.PostAsync(address, welcome, replyToId: null, cancellationToken);
        }
        catch (ChannelSendException ex) when (ex.IsTransient)
        {
            outbox.Enqueue(new OutboundMessage($"teams-welcome:{address.ConversationId}", new ToConversation(address), welcome));
        }
        catch (ChannelSendException ex)
        {
            LogSendRefused(ex, address.ConversationId);
        }
    }

    /// <summary>Delivers an answer to the activity it answers.</summary>
    private async Task DeliverAsync(Activity activity, Reply reply, string? sourceId, CancellationToken cancellationToken)
    {
        if (reply.IsNone)
        {
            return;
        }

        var address = TeamsAddress.FromActivity(activity);
        if (reply.Visibility == ReplyVisibility.OnlyRequester && !address.IsDirect)
        {
            await DeliverPrivatelyAsync(activity, reply with { ReplacesSource = false }, cancellationToken);
            return;
        }

        var replacing = reply.ReplacesSource && !string.IsNullOrEmpty(sourceId) && reply.Visibility == ReplyVisibility.InConversation;
        try
        {
            if (replacing)
            {
                var source = new PostedMessage(address, sourceId!);
                await sender.UpdateAsync(source, reply, cancellationToken);
                await RecordAsync(reply, source);
                return;
            }

            var posted = await sender.PostAsync(address, reply, activity.Id, cancellationToken);
            // Not awaited: the answer is delivered. The location is queued ahead of any later change of its ticket (one
            // writer, in order), so that change finds it; it becomes durable with the next commit, shared with the
            // tickets being filed, instead of costing this request a commit of its own.
            _ = RecordAsync(reply, posted);
        }
        catch (ChannelSendException ex) when (ex.IsTransient)
        {
            LogDeferred(ex.Message, address.ConversationId);
            Destination destination = replacing && reply.CardKey is { } key ? new UpdateCard(key) : new ToConversation(address);
            if (replacing)
            {
                await RecordAsync(reply, new PostedMessage(address, sourceId!));
            }

            outbox.Enqueue(new OutboundMessage($"teams-answer:{address.ConversationId}:{activity.Id ?? Guid.NewGuid().ToString("N")}", destination, reply with { ReplacesSource = false }));
        }
        catch (ChannelSendException ex)
        {
            LogSendRefused(ex, address.ConversationId);
        }
    }

    /// <summary>
    /// Teams has no messages only one person sees in a chat or channel: a private answer goes to the person's 1:1 chat, and
    /// never into the conversation it was asked in. A chat that cannot be reached now gets it later through the outbox; one
    /// that cannot be reached at all (the app not installed for the person, the bot blocked) leaves a note without the answer.
    /// </summary>
    private async Task DeliverPrivatelyAsync(Activity activity, Reply reply, CancellationToken cancellationToken)
    {
        var user = ActivityTranslator.User(activity);
        var address = TeamsAddress.FromActivity(activity);
        try
        {
            var direct = await sender.OpenDirectAsync(user, cancellationToken);
            await sender.PostAsync(direct, reply, replyToId: null, cancellationToken);
        }
        catch (ChannelSendException ex) when (ex.IsTransient)
        {
            LogDeferred(ex.Message, address.ConversationId);
            outbox.Enqueue(new OutboundMessage($"teams-private:{address.ConversationId}:{activity.Id ?? Guid.NewGuid().ToString("N")}", new ToUser(user), reply));
        }
        catch (ChannelSendException ex)
        {
            LogDirectFailed(ex.Message);
            await DeliverAsync(activity, NoDirectChat, sourceId: null, cancellationToken);
        }
    }

    private async Task RecordAsync(Reply reply, PostedMessage posted)
    {
        if (reply.CardKey is { } key && reply.Visibility == ReplyVisibility.InConversation && posted.MessageId.Length > 0)
        {
            await cards.RecordAsync(key, posted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the answer in {Conversation} could not be sent now ({Reason}); it went to the outbox")]
    private partial void LogDeferred(string reason, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the connector refused a message for {Conversation}")]
    private partial void LogSendRefused(Exception ex, string conversation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: no direct chat for a private answer ({Reason}); the conversation gets a note without it")]
    private partial void LogDirectFailed(string reason);
}
