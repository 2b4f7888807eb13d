using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;
using PlatformBot.Storage;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// A resolved ticket queues its post-resolution CSAT (once per ticket; the delay and the budget apply); a reopened one drops
/// the CSAT still waiting, so the resolution that really ends it queues a fresh one. One handler for both, so the bus hands
/// it the two events of a ticket in the order they happened.
/// </summary>
internal sealed class CsatAfterResolution(SurveyRunner runner, IEnumerable<ITickets> tickets)
    : IDomainEventHandler<TicketResolved>, IDomainEventHandler<TicketReopened>
{
    public Task HandleAsync(TicketResolved domainEvent, CancellationToken cancellationToken)
    {
        var summary = tickets.FirstOrDefault()?.Find(domainEvent.TicketId)?.Summary;
        runner.ScheduleAfterResolution(domainEvent.TicketId, domainEvent.Requester, summary, domainEvent.At);
        return Task.CompletedTask;
    }

    public Task HandleAsync(TicketReopened domainEvent, CancellationToken cancellationToken)
    {
        runner.DropAfterResolution(domainEvent.TicketId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Who filed a ticket and when, learnt from <see cref="TicketCreated"/>, for audiences of <c>RecentRequesters</c>. Only
/// the last filing per person is kept: that is all "filed within the span" needs. It is kept to the minute: a person's
/// further filings within a minute of the one written are not written again (someone filing several tickets in a burst,
/// a bot filing for many), since an audience's span is counted in days.
/// </summary>
internal sealed class RecentRequesterLedger : IRecentRequesters, IDomainEventProjection<TicketCreated>
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private const int MaxRemembered = 10_000;

    private readonly ILiteCollection<RequesterEntry> _entries;

    // The LastFiledAt last committed per person (a cache of the collection, emptied when it grows past MaxRemembered).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _written = new(StringComparer.Ordinal);

    public RecentRequesterLedger(PlatformDatabase database)
    {
        _entries = database.Collection<RequesterEntry>("survey_requesters");
        _entries.EnsureIndex(e => e.LastFiledAt);
    }

    public void Apply(TicketCreated domainEvent)
    {
        var requester = domainEvent.Requester;
        var at = domainEvent.At.UtcDateTime;
        if (_written.TryGetValue(requester.Key, out var written) && at - written < Resolution)
        {
            return;
        }

        var known = _entries.ById(requester.Key);
        if (known is not null && at - known.LastFiledAt.ToUniversalTime() < Resolution)
        {
            Remember(requester.Key, known.LastFiledAt.ToUniversalTime());
        }
        else
        {
            _entries.Upsert(new RequesterEntry
            {
                Key = requester.Key,
                Channel = requester.Channel,
                UserId = requester.Id,
                DisplayName = requester.DisplayName ?? known?.DisplayName,
                TimeZone = requester.TimeZone ?? known?.TimeZone,
                LastFiledAt = at,
            });
            Remember(requester.Key, at);
        }
    }

    private void Remember(string key, DateTime lastFiledAt) => PlatformDatabase.AfterCommit(() =>
    {
        if (_written.Count >= MaxRemembered)
        {
            _written.Clear();
        }

        _written[key] = lastFiledAt;
    });

    public Task<IReadOnlyList<UserRef>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserRef>>([.. _entries.Find(e => e.LastFiledAt >= since.UtcDateTime)
            .Select(e => new UserRef(e.Channel, e.UserId, e.DisplayName, e.TimeZone))]);

    internal sealed class RequesterEntry
    {
        [BsonId]
        public string Key { get; set; } = "";

        public string Channel { get; set; } = "";

        public string UserId { get; set; } = "";

        public string? DisplayName { get; set; }

        public string? TimeZone { get; set; }

        public DateTime LastFiledAt { get; set; }
    }
}
