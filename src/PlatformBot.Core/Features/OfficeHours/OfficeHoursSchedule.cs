using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace PlatformBot.Features.OfficeHours;

/// <summary>One meeting of a session series: which series, and when it starts and ends (UTC).</summary>
public sealed record SessionOccurrence(string Session, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Names this meeting in storage and idempotency keys: <c>platform@2026-11-26T14:00Z</c>.</summary>
    public string Key => $"{Session}@{Start.UtcDateTime:yyyy-MM-ddTHH:mmZ}";
}

/// <summary>Session times from an iCalendar RRULE in the session's zone (pure; read with Ical.Net).</summary>
internal static class OfficeHoursSchedule
{
    public static string? Validate(OfficeHoursSessionOptions session)
    {
        try
        {
            _ = Occurrences("validate", session, new DateTimeOffset(session.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).Take(1).ToList();
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or Ical.Net.Evaluation.EvaluationLimitExceededException)
        {
            return ex.Message;
        }
    }

    /// <summary>Meetings that end after <paramref name="from"/>, in order.</summary>
    public static IEnumerable<SessionOccurrence> Occurrences(string name, OfficeHoursSessionOptions session, DateTimeOffset from)
    {
        if (string.IsNullOrWhiteSpace(session.Schedule))
        {
            throw new FormatException("the schedule is empty");
        }

        var pattern = new RecurrencePattern(session.Schedule);
        var hour = pattern.ByHour.Count > 0 ? pattern.ByHour[0] : 0;
        var minute = pattern.ByMinute.Count > 0 ? pattern.ByMinute[0] : 0;
        var start = new CalDateTime(session.Start.Year, session.Start.Month, session.Start.Day, hour, minute, 0, session.TimeZone);
        var calendarEvent = new CalendarEvent { DtStart = start, Duration = Duration.FromSeconds((int)session.Duration.TotalSeconds) };
        calendarEvent.RecurrenceRule = pattern;

        // Start looking one duration earlier so a meeting under way is included.
        var searchFrom = new CalDateTime((from - session.Duration).UtcDateTime, "UTC", true);
        foreach (var occurrence in calendarEvent.GetOccurrences(searchFrom, null))
        {
            var begin = new DateTimeOffset(occurrence.Period.StartTime.AsUtc, TimeSpan.Zero);
            var end = begin + session.Duration;
            if (end <= from)
            {
                continue;
            }

            yield return new SessionOccurrence(name, begin, end);
        }
    }

    public static SessionOccurrence? Next(string name, OfficeHoursSessionOptions session, DateTimeOffset from) =>
        Occurrences(name, session, from).FirstOrDefault();
}
