using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Teams' side of the outbox and of answers: posts, in-place updates and one-to-one chats through the Bot Connector, to the
/// conversations the store knows (a conversation the bot never heard from cannot be reached, and says so).
/// </summary>
internal sealed class TeamsSender(TeamsConversationStore store, ConnectorClient connector, IOptions<TeamsOptions> options) : IChannelSender
{
    public string Channel => PlatformBot.Conversations.Channels.Teams;

    public Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken) =>
        PostAsync(to, reply, replyToId: null, cancellationToken);

    /// <summary>Posts a message; with <paramref name="replyToId"/>, as the answer to that activity.</summary>
    public async Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, string? replyToId, CancellationToken cancellationToken)
    {
        var conversation = Conversation(to.ConversationId);
        var activity = Render(reply, conversation);
        var id = await connector.SendAsync(conversation.ServiceUrl, TeamsAddress.ConnectorConversationId(conversation, to.ThreadId), replyToId, activity, cancellationToken);
        return new PostedMessage(to, id);
    }

    public async Task UpdateAsync(PostedMessage message, Reply reply, CancellationToken cancellationToken)
    {
        var conversation = Conversation(message.Conversation.ConversationId);
        var activity = Render(reply, conversation);
        await connector.UpdateAsync(conversation.ServiceUrl, TeamsAddress.ConnectorConversationId(conversation, message.Conversation.ThreadId), message.MessageId, activity, cancellationToken);
    }

    public async Task<ConversationAddress> OpenDirectAsync(UserRef user, CancellationToken cancellationToken)
    {
        var person = store.FindPerson(user.Id)
            ?? throw new ChannelSendException($"Teams: {user.Key} has never written to the bot, so there is no way to reach them yet (Teams needs the bot installed for them)", isTransient: false);
        if (person.PersonalConversationId is { Length: > 0 } known && store.FindConversation(known) is not null)
        {
            return Direct(known);
        }

        var tenant = person.TenantId;
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = person.BotId ?? "28:" + options.Value.AppId, Name = person.BotName },
            Members = [new ChannelAccount { Id = person.Id }],
            TenantId = tenant,
            ChannelData = tenant is null ? null : new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
        };
        var conversationId = await connector.CreateConversationAsync(person.ServiceUrl, parameters, cancellationToken);
        store.RememberPersonalConversation(person, conversationId);
        return Direct(conversationId);
    }

    private static ConversationAddress Direct(string conversationId) =>
        new(PlatformBot.Conversations.Channels.Teams, conversationId, IsDirect: true);

    private TeamsConversation Conversation(string conversationId) =>
        store.FindConversation(conversationId)
        ?? throw new ChannelSendException($"Teams: the bot has no reference for conversation '{conversationId}' (it was never installed there, or was removed)", isTransient: false);

    private Activity Render(Reply reply, TeamsConversation conversation)
    {
        var activity = AdaptiveCardRenderer.Message(reply, options.Value.PublicBaseUrl);
        activity.From = conversation.BotId is null ? null : new ChannelAccount { Id = conversation.BotId, Name = conversation.BotName };
        activity.Conversation = new ConversationAccount { Id = conversation.Id, TenantId = conversation.TenantId };
        return activity;
    }
}
