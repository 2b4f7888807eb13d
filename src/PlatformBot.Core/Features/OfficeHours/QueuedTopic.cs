using LiteDB;

namespace PlatformBot.Features.OfficeHours;

internal enum TopicState
{
    Queued,
    Called,
    Answered,
    Skipped,
    Left,
    AnsweredByDocs,
    Rolled,
    Ticketed,
}

/// <summary>One person's topic in one meeting's queue.</summary>
internal sealed class QueuedTopic
{
    [BsonId(true)]
    public long Id { get; set; }

    /// <summary>Queue order: the first join's id, kept when the topic rolls to the next meeting.</summary>
    public long Order { get; set; }

    public string Session { get; set; } = "";

    public string Occurrence { get; set; } = "";

    public DateTime OccurrenceStart { get; set; }

    /// <summary><c>occurrence|user</c> while the topic is queued or called: a unique index makes joining twice impossible.</summary>
    public string ActiveKey { get; set; } = "";

    public string UserKey { get; set; } = "";

    public string UserName { get; set; } = "";

    public string? UserTimeZone { get; set; }

    public string Topic { get; set; } = "";

    public string? TicketId { get; set; }

    public TopicState State { get; set; }

    public DateTime JoinedAt { get; set; }

    public DateTime? CalledAt { get; set; }

    public DateTime? AnsweredAt { get; set; }

    public string? Note { get; set; }

    public bool DocsOffered { get; set; }

    public string? CalledBy { get; set; }

    public string? DraftPath { get; set; }

    public bool IsActive => State is TopicState.Queued or TopicState.Called;

    /// <summary>The same person and topic, queued for another meeting in the same place in line.</summary>
    public QueuedTopic CopyFor(SessionOccurrence next) => new()
    {
        Order = Order,
        Session = Session,
        Occurrence = next.Key,
        OccurrenceStart = next.Start.UtcDateTime,
        UserKey = UserKey,
        UserName = UserName,
        UserTimeZone = UserTimeZone,
        Topic = Topic,
        TicketId = TicketId,
        State = TopicState.Queued,
        JoinedAt = JoinedAt,
    };
}
