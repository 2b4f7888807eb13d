using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// A Teams conversation's people: the paged roster at the serviceUrl the conversation's activities came from, following
/// each page's continuation token. Ids are the <c>29:…</c> ids activities carry (what <see cref="UserRef.Id"/> is for
/// Teams); the roster names no time zone, so the team's zone applies. The people listed are remembered, so the outbox
/// can open a 1:1 chat with each. A refusal (403: the bot is not in that team any more; 404: no such conversation) or a
/// conversation the bot never heard from becomes a <see cref="MembersUnavailableException"/>.
/// </summary>
internal sealed class TeamsConversationMembers(TeamsConversationStore store, ConnectorClient connector, TimeProvider time) : IConversationMembers
{
    /// <summary>The largest page the roster API serves.</summary>
    public const int PageSize = 500;

    public string Channel => PlatformBot.Conversations.Channels.Teams;

    public async Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken)
    {
        var id = TeamsAddress.BaseConversationId(conversationId);
        var conversation = store.FindConversation(id)
            ?? throw new MembersUnavailableException($"the bot has never heard from {id} (add it to that team or chat, or mention it there once)");
        var accounts = new List<ChannelAccount>();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await RosterPaging.CallAsync(
                () => connector.PagedMembersAsync(conversation.ServiceUrl, id, PageSize, token, cancellationToken),
                ex => Explain(ex, id),
                time,
                cancellationToken);
            accounts.AddRange(page.Members ?? []);
            token = page.ContinuationToken is { Length: > 0 } next ? next : null;
        }
        while (token is not null && tokens.Add(token)); // a token seen twice would loop forever

        var people = accounts
            .Where(a => a.Id is { Length: > 0 } memberId && !IsBot(memberId, conversation))
            .DistinctBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
        store.RememberMembers(conversation, people);
        return [.. people.Select(a => new UserRef(Channel, a.Id!, a.Name))];
    }

    /// <summary>Bots have <c>28:</c> ids; rosters list people, but a bot in a group chat can show up.</summary>
    private static bool IsBot(string memberId, TeamsConversation conversation) =>
        memberId.StartsWith("28:", StringComparison.Ordinal) || memberId == conversation.BotId;

    private static string Explain(ChannelSendException ex, string conversationId) => ConnectorClient.StatusOf(ex) switch
    {
        403 => $"Teams refused the roster of {conversationId} (403: the bot is no longer in that team or chat)",
        404 => $"Teams does not know {conversationId} (404: it was deleted, or the bot was removed from it)",
        401 => "Teams refused the bot's token (401: check Teams:AppId and Teams__AppPassword)",
        429 => "Teams kept answering \"too many requests\"",
        _ => ex.Message,
    };
}
