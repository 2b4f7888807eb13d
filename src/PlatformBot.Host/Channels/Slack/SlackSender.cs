using Microsoft.Extensions.Options;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>The outbox's way into Slack: chat.postMessage (returns the ts), chat.update, conversations.open.</summary>
internal sealed class SlackSender(SlackApiClient api, IOptions<SlackOptions> options) : IChannelSender
{
    private readonly Uri? _publicBaseUrl = options.Value.PublicBaseUrl;

    public string Channel => PlatformBot.Conversations.Channels.Slack;

    public async Task<PostedMessage> PostAsync(ConversationAddress to, Reply reply, CancellationToken cancellationToken)
    {
        if (to.ConversationId.StartsWith(SlackTranslator.DirectPrefix, StringComparison.Ordinal))
        {
            to = await OpenDirectAsync(new UserRef(Channel, to.ConversationId[SlackTranslator.DirectPrefix.Length..]), cancellationToken);
        }

        var ts = await api.PostMessageAsync(to.ConversationId, to.ThreadId, BlockKitRenderer.Message(reply, _publicBaseUrl), cancellationToken);
        return new PostedMessage(to, ts);
    }

    public Task UpdateAsync(PostedMessage message, Reply reply, CancellationToken cancellationToken) =>
        api.UpdateMessageAsync(message.Conversation.ConversationId, message.MessageId, BlockKitRenderer.Message(reply, _publicBaseUrl), cancellationToken);

    public async Task<ConversationAddress> OpenDirectAsync(UserRef user, CancellationToken cancellationToken) =>
        new(Channel, await api.OpenDirectAsync(user.Id, cancellationToken), IsDirect: true);
}
