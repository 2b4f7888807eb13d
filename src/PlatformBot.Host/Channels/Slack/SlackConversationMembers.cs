using Microsoft.Extensions.Options;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// A Slack conversation's people: conversations.members page by page (following <c>response_metadata.next_cursor</c>),
/// then users.info for each (cached) for the name and time zone; bots, Slackbot and deactivated accounts are left out.
/// A refusal (the bot not in the channel, a missing scope) becomes a <see cref="MembersUnavailableException"/> that says
/// what to do about it; a throttled call waits for its Retry-After and is tried again.
/// </summary>
internal sealed class SlackConversationMembers(SlackApiClient api, IOptions<SlackOptions> options, TimeProvider time) : IConversationMembers
{
    public string Channel => PlatformBot.Conversations.Channels.Slack;

    public async Task<IReadOnlyList<UserRef>> MembersAsync(string conversationId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await RosterPaging.CallAsync(
                () => api.MembersPageAsync(conversationId, cursor, options.Value.MembersPageSize, cancellationToken),
                ex => Explain(ex, conversationId),
                time,
                cancellationToken);
            ids.AddRange(page.Members);
            cursor = page.NextCursor;
        }
        while (cursor is not null && seen.Add(cursor)); // a cursor seen twice would loop forever

        var people = new List<UserRef>(ids.Count);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (id == SlackUser.Slackbot)
            {
                continue;
            }

            var user = await RosterPaging.CallAsync<SlackUser?>(
                async () =>
                {
                    try
                    {
                        return await api.UserAsync(id, cancellationToken);
                    }
                    catch (ChannelSendException ex) when (SlackApiClient.ErrorOf(ex) == "user_not_found")
                    {
                        return null; // left the workspace between the two calls
                    }
                },
                ex => Explain(ex, conversationId),
                time,
                cancellationToken);
            if (user is { IsBot: false, Deleted: false })
            {
                people.Add(user.User);
            }
        }

        return people;
    }

    private static string Explain(ChannelSendException ex, string conversationId) => SlackApiClient.ErrorOf(ex) switch
    {
        "not_in_channel" => $"the bot is not a member of {conversationId} (invite it with /invite @PlatformBot)",
        "channel_not_found" => $"Slack does not show {conversationId} to the bot (a private channel needs the bot invited; check the id)",
        "missing_scope" => "the Slack app lacks a scope it needs for this (channels:read, groups:read, users:read): reinstall it from manifests/slack/manifest.yaml",
        "not_authed" or "invalid_auth" or "account_inactive" or "token_revoked" => "Slack refused the bot token (Slack__BotToken)",
        "ratelimited" => "Slack kept answering \"rate limited\"",
        _ when ex.IsTransient => $"Slack did not answer ({ex.Message})",
        _ => ex.Message,
    };
}
