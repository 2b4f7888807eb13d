using PlatformBot.Conversations;

namespace PlatformBot.Features.Surveys;

/// <summary>Everyone who filed a request recently (the Tickets feature implements it).</summary>
internal interface IRecentRequesters
{
    Task<IReadOnlyList<UserRef>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Turns an audience into people, once each; says what it could not resolve.</summary>
internal sealed class SurveyAudienceResolver(IEnumerable<IConversationMembers> members, IEnumerable<IRecentRequesters> requesters)
{
    public async Task<(IReadOnlyList<UserRef> People, IReadOnlyList<string> Notes)> ResolveAsync(SurveyAudience audience, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var people = new Dictionary<string, UserRef>(StringComparer.Ordinal);
        var notes = new List<string>();

        void Add(UserRef person)
        {
            if (!people.TryGetValue(person.Key, out var known) || (known.TimeZone is null && person.TimeZone is not null))
            {
                people[person.Key] = person;
            }
        }

        foreach (var key in audience.Users)
        {
            if (AudienceKeys.TryParseUser(key, out var user))
            {
                Add(user);
            }
        }

        foreach (var key in audience.Channels)
        {
            if (!AudienceKeys.TryParseConversation(key, out var conversation))
            {
                continue;
            }

            var source = members.FirstOrDefault(m => string.Equals(m.Channel, conversation.Channel, StringComparison.OrdinalIgnoreCase));
            if (source is null)
            {
                notes.Add($"the members of {key} cannot be listed (the {conversation.Channel} channel does not offer it)");
                continue;
            }

            IReadOnlyList<UserRef> listed;
            try
            {
                listed = await source.MembersAsync(conversation.ConversationId, cancellationToken);
            }
            catch (Exception ex) when (ex is MembersUnavailableException or ChannelSendException && !cancellationToken.IsCancellationRequested)
            {
                notes.Add($"the members of {key} cannot be listed: {(ex is MembersUnavailableException refused ? refused.Reason : ex.Message)}");
                continue;
            }

            foreach (var person in listed)
            {
                Add(person);
            }
        }

        if (audience.RecentRequesters is { } span)
        {
            var source = requesters.FirstOrDefault();
            if (source is null)
            {
                notes.Add("recent requesters are unknown (the Tickets feature is not enabled)");
            }
            else
            {
                foreach (var person in await source.SinceAsync(now - span, cancellationToken))
                {
                    Add(person);
                }
            }
        }

        return ([.. people.Values.OrderBy(p => p.Key, StringComparer.Ordinal)], notes);
    }
}
