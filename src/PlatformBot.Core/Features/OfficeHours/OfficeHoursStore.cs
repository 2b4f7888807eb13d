using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.OfficeHours;

internal sealed class OfficeHoursStore
{
    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<QueuedTopic> _topics;

    public OfficeHoursStore(PlatformDatabase database)
    {
        _database = database;
        _topics = database.Collection<QueuedTopic>("officehours_topics");
        _topics.EnsureIndex(t => t.Occurrence);
        _topics.EnsureIndex(t => t.UserKey);
        _topics.EnsureIndex(t => t.ActiveKey, unique: true);
    }

    public PlatformDatabase Database => _database;

    public static string ActiveKeyOf(string occurrence, string userKey) => $"{occurrence}|{userKey}";

    /// <summary>Adds the topic unless the person is already queued for that meeting; returns the existing one then.</summary>
    public (QueuedTopic Topic, bool Added) Join(QueuedTopic topic)
    {
        topic.ActiveKey = ActiveKeyOf(topic.Occurrence, topic.UserKey);
        return _database.InTransaction(() =>
        {
            var existing = _topics.FindOne(t => t.ActiveKey == topic.ActiveKey);
            if (existing is not null)
            {
                return (existing, false);
            }

            _topics.Insert(topic);
            if (topic.Order == 0)
            {
                topic.Order = topic.Id;
                _topics.Update(topic);
            }

            return (topic, true);
        });
    }

    public QueuedTopic? Get(long id) => _topics.ById(id);

    public QueuedTopic? Active(string occurrence, string userKey) =>
        _topics.FindOne(t => t.ActiveKey == ActiveKeyOf(occurrence, userKey));

    public IReadOnlyList<QueuedTopic> ActiveOf(string userKey) =>
        [.. _topics.Find(t => t.UserKey == userKey).Where(t => t.IsActive).OrderBy(t => t.OccurrenceStart)];

    /// <summary>The meeting's topics in queue order.</summary>
    public IReadOnlyList<QueuedTopic> Queue(string occurrence) =>
        [.. _topics.Find(t => t.Occurrence == occurrence).OrderBy(t => t.Order)];

    public IReadOnlyList<QueuedTopic> All() => [.. _topics.FindAll()];

    /// <summary>Saves a change of state; a topic that is no longer active frees its place for a new join.</summary>
    public void Save(QueuedTopic topic)
    {
        if (!topic.IsActive && !topic.ActiveKey.Contains("|done|", StringComparison.Ordinal))
        {
            topic.ActiveKey = $"{topic.ActiveKey}|done|{topic.Id}";
        }

        _topics.Update(topic);
    }
}
