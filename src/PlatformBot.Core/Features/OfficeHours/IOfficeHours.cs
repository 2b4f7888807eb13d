using PlatformBot.Conversations;

namespace PlatformBot.Features.OfficeHours;

/// <summary>What other parts of the bot show about office hours (the Slack App Home, the dashboard).</summary>
public interface IOfficeHours
{
    /// <summary>The next meeting of each session, soonest first, with its title and link.</summary>
    IReadOnlyList<UpcomingSession> Upcoming();

    /// <summary>The person's places in queues, with the time his topic is expected to come up.</summary>
    IReadOnlyList<QueuePlace> PlacesOf(UserRef user);

    OfficeHoursFigures Figures();
}

public sealed record UpcomingSession(SessionOccurrence Occurrence, string Title, string Link, int Queued);

public sealed record QueuePlace(SessionOccurrence Occurrence, string Title, string Topic, int Place, DateTimeOffset ExpectedAt);

internal sealed class OfficeHoursService(OfficeHoursCalendar calendar, OfficeHoursStore store) : IOfficeHours
{
    public IReadOnlyList<UpcomingSession> Upcoming() =>
        [.. calendar.Upcoming().Select(o =>
        {
            var session = calendar.Session(o.Session)!;
            return new UpcomingSession(o, session.Title, session.Link, store.Queue(o.Key).Count(t => t.IsActive));
        })];

    public IReadOnlyList<QueuePlace> PlacesOf(UserRef user) =>
        [.. store.ActiveOf(user.Key).Select(t =>
        {
            var session = calendar.Session(t.Session);
            var start = new DateTimeOffset(t.OccurrenceStart, TimeSpan.Zero);
            var occurrence = new SessionOccurrence(t.Session, start, start + (session?.Duration ?? TimeSpan.FromHours(1)));
            var ahead = store.Queue(t.Occurrence).Where(q => q.IsActive).TakeWhile(q => q.Id != t.Id).Count();
            return new QueuePlace(occurrence, session?.Title ?? t.Session, t.Topic, ahead + 1, calendar.ExpectedAt(occurrence, ahead));
        })];

    public OfficeHoursFigures Figures() => OfficeHoursStats.Compute(store.All(), calendar.Now);
}
