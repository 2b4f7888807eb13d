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
/// the last filing per person is kept: that is all "filed within the span" needs.
/// </summary>
internal sealed class RecentRequesterLedger : IRecentRequesters, IDomainEventProjection<TicketCreated>
{
    private readonly ILiteCollection<RequesterEntry> _entries;

    public RecentRequesterLedger(PlatformDatabase database)
    {
        _entries = database.Collection<RequesterEntry>("survey_requesters");
        _entries.EnsureIndex(e => e.LastFiledAt);
    }

    public void Apply(TicketCreated domainEvent)
    {
        var requester = domainEvent.Requester;
        var known = _entries.ById(requester.Key);
        if (known is null || known.LastFiledAt.ToUniversalTime() < domainEvent.At.UtcDateTime)
        {
            _entries.Upsert(new RequesterEntry
            {
                Key = requester.Key,
                Channel = requester.Channel,
                UserId = requester.Id,
                DisplayName = requester.DisplayName ?? known?.DisplayName,
                TimeZone = requester.TimeZone ?? known?.TimeZone,
                LastFiledAt = domainEvent.At.UtcDateTime,
            });
        }
    }

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
