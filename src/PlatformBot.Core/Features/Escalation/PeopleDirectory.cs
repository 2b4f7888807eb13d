using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Turns the ids in schedules and policies into people and conversations to page. Ids follow <c>Team:Agents</c>: <c>dana</c>
/// (the same id in any channel; paged through <see cref="EscalationOptions.PageChannel"/>) or <c>slack:U024BE7LH</c> (one channel).
/// </summary>
internal sealed class PeopleDirectory
{
    // Teams last: it can reach only people who have written to the bot, and it runs unauthenticated beside the dev chat in Development.
    private static readonly string[] Preference = [Conversations.Channels.Slack, Conversations.Channels.DevChat, Conversations.Channels.Teams];

    private readonly Dictionary<string, IChannelSender> _senders;
    private readonly EscalationBook _book;
    private readonly IRoles _roles;

    public PeopleDirectory(IEnumerable<IChannelSender> senders, IOptions<EscalationOptions> options, EscalationBook book, IRoles roles)
    {
        _senders = senders.GroupBy(s => s.Channel, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        _book = book;
        _roles = roles;
        var configured = options.Value.PageChannel;
        PageChannel = !string.IsNullOrWhiteSpace(configured)
            ? configured.Trim()
            : Preference.FirstOrDefault(_senders.ContainsKey) ?? _senders.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>The channel that pages ids given without one; null when no channel is configured at all.</summary>
    public string? PageChannel { get; }

    public IReadOnlyCollection<string> ConfiguredChannels => _senders.Keys;

    public bool IsConfigured(string channel) => _senders.ContainsKey(channel);

    /// <summary>The person an id means, in the channel that pages them; null when no channel can.</summary>
    public UserRef? Person(string id)
    {
        var (channel, local) = Split(id);
        channel ??= PageChannel;
        return channel is null ? null : new UserRef(channel, local);
    }

    /// <summary>The person an id means in one given channel (for asking each channel whether it knows them).</summary>
    public UserRef PersonIn(string id, string channel) => new(channel, Split(id).Id);

    /// <summary>The conversation a <c>channel:</c> target means.</summary>
    public ConversationAddress? Conversation(string id)
    {
        var (channel, local) = Split(id);
        channel ??= PageChannel;
        return channel is null ? null : new ConversationAddress(channel, local);
    }

    /// <summary>The channels a person id may live in: its own channel, or every configured one for a bare id.</summary>
    public IReadOnlyList<string> CandidateChannels(string id) =>
        Split(id).Channel is { } channel ? [channel] : [.. _senders.Keys.Order(StringComparer.Ordinal)];

    public IChannelSender? Sender(string channel) => _senders.GetValueOrDefault(channel);

    /// <summary>Everyone the configuration names: schedule members, user targets, the team's agents and admins.</summary>
    public IReadOnlyList<string> KnownPeople()
    {
        var ids = new List<string>();
        ids.AddRange(_book.Rotations.Values.SelectMany(r => r.Members));
        ids.AddRange(_book.Policies.Values.SelectMany(p => p.Levels).SelectMany(l => l.Targets).Where(t => t.Kind == TargetKind.User).Select(t => t.Name));
        ids.AddRange(_roles.AgentEntries);
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The configured id a typed one means (<c>@dana</c>, <c>&lt;@U024|dana&gt;</c>, <c>dev:dana</c> → <c>dana</c>), or null.</summary>
    public string? FindKnown(string typed)
    {
        var id = Normalize(typed);
        var known = KnownPeople();
        return known.FirstOrDefault(k => k == id) ?? known.FirstOrDefault(k => Same(k, id));
    }

    /// <summary>Whether <paramref name="user"/> is the person a configured or paged id means.</summary>
    public bool IsPerson(string id, UserRef user) => Same(id, user.Key);

    public static string Normalize(string typed)
    {
        var text = typed.Trim();
        if (text.StartsWith("<@", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            text = text[2..^1];
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            text = bar >= 0 ? text[..bar] : text;
        }

        return text.TrimStart('@');
    }

    private bool Same(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        var (ca, ia) = Split(a);
        var (cb, ib) = Split(b);
        return ia == ib && (ca is null || cb is null || string.Equals(ca, cb, StringComparison.OrdinalIgnoreCase));
    }

    private (string? Channel, string Id) Split(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var prefix = id[..colon];
            if (_senders.ContainsKey(prefix) || Preference.Contains(prefix, StringComparer.OrdinalIgnoreCase))
            {
                return (prefix.ToLowerInvariant(), id[(colon + 1)..]);
            }
        }

        return (null, id);
    }
}
