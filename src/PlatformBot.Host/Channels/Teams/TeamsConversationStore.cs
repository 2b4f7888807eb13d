using System.Collections.Concurrent;
using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Conversation references (teams-protocol.md §2.3) in the platform database: where each conversation and person is
/// reached (serviceUrl, tenant, the bot's id there), whether the bot has said hello, and the serviceUrls that are trusted
/// because an authenticated activity named them. Reads are served from memory; a row is written only when it changes.
/// </summary>
internal sealed class TeamsConversationStore
{
    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<TeamsConversation> _conversations;
    private readonly ILiteCollection<TeamsPerson> _people;
    private readonly ILiteCollection<TrustedServiceUrl> _serviceUrls;
    private readonly ConcurrentDictionary<string, TeamsConversation> _conversationCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TeamsPerson> _personCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _trusted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _writeLock = new();

    public TeamsConversationStore(PlatformDatabase database)
    {
        _database = database;
        _conversations = database.Collection<TeamsConversation>("teams_conversations");
        _people = database.Collection<TeamsPerson>("teams_people");
        _serviceUrls = database.Collection<TrustedServiceUrl>("teams_service_urls");
        foreach (var url in _serviceUrls.FindAll())
        {
            _trusted[url.Url] = true;
        }
    }

    /// <summary>Remembers where an activity came from. Call only for activities that passed authentication (or, with it off, named a loopback serviceUrl).</summary>
    public void Remember(Activity activity, DateTimeOffset now)
    {
        if (activity.ServiceUrl is not { Length: > 0 } serviceUrl || activity.Conversation?.Id is not { Length: > 0 } rawId)
        {
            return;
        }

        Trust(serviceUrl, now);
        var tenant = TenantOf(activity);
        var conversationId = TeamsAddress.BaseConversationId(rawId);
        var conversation = new TeamsConversation
        {
            Id = conversationId,
            ServiceUrl = serviceUrl,
            ConversationType = activity.Conversation.ConversationType ?? (activity.Conversation.IsGroup == true ? "groupChat" : "personal"),
            TenantId = tenant,
            BotId = activity.Recipient?.Id,
            BotName = activity.Recipient?.Name,
            UserId = activity.Conversation.ConversationType is null or "personal" ? activity.From?.Id : null,
        };
        var existing = FindConversation(conversationId);
        if (existing is null || !existing.SameReference(conversation))
        {
            lock (_writeLock)
            {
                var current = FindConversation(conversationId);
                conversation.Welcomed = current?.Welcomed ?? false;
                conversation.UserId = current?.UserId ?? conversation.UserId;
                _conversations.Upsert(conversation);
                _conversationCache[conversationId] = conversation;
            }
        }

        if (activity.From?.Id is { Length: > 0 } userId && activity.From.Id != activity.Recipient?.Id)
        {
            var person = new TeamsPerson
            {
                Id = userId,
                Name = activity.From.Name,
                AadObjectId = activity.From.AadObjectId,
                ServiceUrl = serviceUrl,
                TenantId = tenant,
                BotId = activity.Recipient?.Id,
                BotName = activity.Recipient?.Name,
            };
            var known = FindPerson(userId);
            // A person has one 1:1 chat with the bot; the first one seen stays theirs until the bot is removed from it.
            person.PersonalConversationId = known?.PersonalConversationId ?? (conversation.IsPersonal ? conversationId : null);
            if (known is null || !known.SameReference(person))
            {
                lock (_writeLock)
                {
                    _people.Upsert(person);
                    _personCache[userId] = person;
                }
            }
        }
    }

    public TeamsConversation? FindConversation(string conversationId) => Cached(_conversationCache, _conversations, conversationId);

    public TeamsPerson? FindPerson(string userId) => Cached(_personCache, _people, userId);

    private static T? Cached<T>(ConcurrentDictionary<string, T> cache, ILiteCollection<T> rows, string id)
        where T : class
    {
        if (cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var row = rows.ById(id);
        if (row is not null)
        {
            cache[id] = row;
        }

        return row;
    }

    /// <summary>
    /// Remembers people a roster listed in a conversation the bot is in, so a 1:1 chat can be opened with them through that
    /// conversation's serviceUrl and tenant (Teams lets a bot message the members of a team it is installed in). People the
    /// bot already knows keep their own reference.
    /// </summary>
    public void RememberMembers(TeamsConversation conversation, IEnumerable<ChannelAccount> members)
    {
        var unknown = members
            .Where(m => m.Id is { Length: > 0 } && FindPerson(m.Id) is null)
            .Select(m => new TeamsPerson
            {
                Id = m.Id!,
                Name = m.Name,
                AadObjectId = m.AadObjectId,
                ServiceUrl = conversation.ServiceUrl,
                TenantId = conversation.TenantId,
                BotId = conversation.BotId,
                BotName = conversation.BotName,
            })
            .ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        lock (_writeLock)
        {
            _database.InTransaction(() =>
            {
                foreach (var person in unknown.Where(p => FindPerson(p.Id) is null))
                {
                    _people.Insert(person);
                    _personCache[person.Id] = person;
                }
            });
        }
    }

    /// <summary>Records the one-to-one chat the connector opened with a person (and its reference, for later posts).</summary>
    public void RememberPersonalConversation(TeamsPerson person, string conversationId)
    {
        lock (_writeLock)
        {
            _database.InTransaction(() =>
            {
                var updated = person.Clone();
                updated.PersonalConversationId = conversationId;
                _people.Upsert(updated);
                _personCache[person.Id] = updated;
                var conversation = new TeamsConversation
                {
                    Id = conversationId,
                    ServiceUrl = person.ServiceUrl,
                    ConversationType = "personal",
                    TenantId = person.TenantId,
                    BotId = person.BotId,
                    BotName = person.BotName,
                    UserId = person.Id,
                    Welcomed = FindConversation(conversationId)?.Welcomed ?? false,
                };
                _conversations.Upsert(conversation);
                _conversationCache[conversationId] = conversation;
            });
        }
    }

    /// <summary>True the first time it is asked for a conversation (until the bot is removed from it): say hello once.</summary>
    public bool TryMarkWelcomed(string conversationId)
    {
        lock (_writeLock)
        {
            var row = FindConversation(conversationId);
            if (row is null || row.Welcomed)
            {
                return false;
            }

            var updated = row.Clone();
            updated.Welcomed = true;
            _conversations.Update(updated);
            _conversationCache[conversationId] = updated;
            return true;
        }
    }

    /// <summary>The bot was removed from a conversation: forget it, so nothing more is posted there and a reinstall says hello again.</summary>
    public void Forget(string conversationId)
    {
        lock (_writeLock)
        {
            _database.InTransaction(() =>
            {
                _conversations.Delete(conversationId);
                _conversationCache.TryRemove(conversationId, out _);
                foreach (var person in _people.Find(p => p.PersonalConversationId == conversationId).ToList())
                {
                    person.PersonalConversationId = null;
                    _people.Update(person);
                    _personCache[person.Id] = person;
                }
            });
        }
    }

    public bool IsTrusted(string serviceUrl) => _trusted.ContainsKey(Normalize(serviceUrl));

    private void Trust(string serviceUrl, DateTimeOffset now)
    {
        var key = Normalize(serviceUrl);
        if (_trusted.ContainsKey(key))
        {
            return;
        }

        lock (_writeLock)
        {
            _serviceUrls.Upsert(new TrustedServiceUrl { Url = key, FirstSeen = now.UtcDateTime });
            _trusted[key] = true;
        }
    }

    internal static string Normalize(string serviceUrl) => serviceUrl.Trim().TrimEnd('/').ToLowerInvariant();

    private static string? TenantOf(Activity activity)
    {
        if (!string.IsNullOrEmpty(activity.Conversation?.TenantId))
        {
            return activity.Conversation.TenantId;
        }

        return activity.ChannelData is { ValueKind: System.Text.Json.JsonValueKind.Object } data
            && data.TryGetProperty("tenant", out var tenant) && tenant.ValueKind == System.Text.Json.JsonValueKind.Object
            && tenant.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String
            ? id.GetString()
            : null;
    }

    internal static string? TenantIdOf(Activity activity) => TenantOf(activity);
}

internal sealed class TeamsConversation
{
    /// <summary>The conversation id without a channel thread's <c>;messageid=</c> part.</summary>
    [BsonId]
    public string Id { get; set; } = string.Empty;

    public string ServiceUrl { get; set; } = string.Empty;

    public string ConversationType { get; set; } = "personal";

    public string? TenantId { get; set; }

    /// <summary>The bot's id in this conversation (<c>28:…</c>).</summary>
    public string? BotId { get; set; }

    public string? BotName { get; set; }

    /// <summary>In a personal chat, the person on the other side.</summary>
    public string? UserId { get; set; }

    public bool Welcomed { get; set; }

    public bool IsChannel => ConversationType == "channel";

    public bool IsPersonal => ConversationType == "personal";

    public bool SameReference(TeamsConversation other) =>
        string.Equals(ServiceUrl, other.ServiceUrl, StringComparison.OrdinalIgnoreCase) && ConversationType == other.ConversationType
        && TenantId == other.TenantId && BotId == other.BotId && BotName == other.BotName;

    public TeamsConversation Clone() => (TeamsConversation)MemberwiseClone();
}

internal sealed class TeamsPerson
{
    /// <summary>The person's id for this bot (<c>29:…</c>).</summary>
    [BsonId]
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? AadObjectId { get; set; }

    public string ServiceUrl { get; set; } = string.Empty;

    public string? TenantId { get; set; }

    public string? BotId { get; set; }

    public string? BotName { get; set; }

    public string? PersonalConversationId { get; set; }

    public bool SameReference(TeamsPerson other) =>
        Name == other.Name && AadObjectId == other.AadObjectId && string.Equals(ServiceUrl, other.ServiceUrl, StringComparison.OrdinalIgnoreCase)
        && TenantId == other.TenantId && BotId == other.BotId && BotName == other.BotName && PersonalConversationId == other.PersonalConversationId;

    public TeamsPerson Clone() => (TeamsPerson)MemberwiseClone();
}

internal sealed class TrustedServiceUrl
{
    [BsonId]
    public string Url { get; set; } = string.Empty;

    public DateTime FirstSeen { get; set; }
}
