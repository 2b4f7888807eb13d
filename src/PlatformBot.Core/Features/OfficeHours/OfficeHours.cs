using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Team;

namespace PlatformBot.Features.OfficeHours;

/// <summary>The sessions as configured, their next meetings, and who hosts them.</summary>
internal sealed class OfficeHoursCalendar(IOptionsMonitor<OfficeHoursOptions> options, IOptionsMonitor<TeamOptions> team, TimeProvider time)
{
    public OfficeHoursOptions Options => options.CurrentValue;

    public DateTimeOffset Now => time.GetUtcNow();

    public string ZoneOf(UserRef user) => user.TimeZone ?? team.CurrentValue.TimeZone;

    public OfficeHoursSessionOptions? Session(string name) =>
        Options.Sessions.TryGetValue(name, out var s) ? s : null;

    /// <summary>The next meeting of every session, soonest first (a meeting under way counts as next).</summary>
    public IReadOnlyList<SessionOccurrence> Upcoming(DateTimeOffset? from = null) =>
        [.. Options.Sessions
            .Select(s => OfficeHoursSchedule.Next(s.Key, s.Value, from ?? Now))
            .OfType<SessionOccurrence>()
            .OrderBy(o => o.Start)];

    public IEnumerable<SessionOccurrence> Between(DateTimeOffset from, DateTimeOffset to) =>
        Options.Sessions.SelectMany(s => OfficeHoursSchedule.Occurrences(s.Key, s.Value, from).TakeWhile(o => o.Start <= to));

    public SessionOccurrence? NextOf(string session, DateTimeOffset after) =>
        Session(session) is { } s ? OfficeHoursSchedule.Occurrences(session, s, after).FirstOrDefault(o => o.Start >= after) : null;

    public bool IsHost(string session, UserRef user) =>
        Session(session) is { } s && s.Hosts.Exists(h => h == user.Id || h == user.Key);

    /// <summary>The meeting this host is running now: from 15 minutes before its start to 30 minutes after its end.</summary>
    public SessionOccurrence? RunningFor(UserRef host)
    {
        var now = Now;
        return Options.Sessions
            .Where(s => IsHost(s.Key, host))
            .Select(s => OfficeHoursSchedule.Occurrences(s.Key, s.Value, now - TimeSpan.FromMinutes(30)).FirstOrDefault())
            .OfType<SessionOccurrence>()
            .Where(o => now >= o.Start - TimeSpan.FromMinutes(15) && now <= o.End + TimeSpan.FromMinutes(30))
            .OrderBy(o => o.Start)
            .FirstOrDefault();
    }

    public IEnumerable<UserRef> Hosts(string session, string channel) =>
        (Session(session)?.Hosts ?? []).Select(h => h.Contains(':', StringComparison.Ordinal) ? UserRef.Parse(h) : new UserRef(channel, h));

    /// <summary>When a topic at this place comes up: the start (or now, once under way) plus one slot per topic ahead.</summary>
    public DateTimeOffset ExpectedAt(SessionOccurrence occurrence, int topicsAhead)
    {
        var from = Now > occurrence.Start ? Now : occurrence.Start;
        return from + (Options.SlotLength * topicsAhead);
    }
}
