using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace PlatformBot.Features.OfficeHours;

/// <summary>The sessions as an iCalendar feed people subscribe to: one recurring event per session.</summary>
public static class OfficeHoursIcs
{
    public static string Render(OfficeHoursOptions options, DateTimeOffset now, string? onlySession = null)
    {
        var ics = new Calendar { ProductId = "-//PlatformBot//Office hours//EN" };
        var zones = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, session) in options.Sessions)
        {
            if (onlySession is not null && !string.Equals(name, onlySession, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var pattern = new RecurrencePattern(session.Schedule);
            var hour = pattern.ByHour.Count > 0 ? pattern.ByHour[0] : 0;
            var minute = pattern.ByMinute.Count > 0 ? pattern.ByMinute[0] : 0;
            var calendarEvent = new CalendarEvent
            {
                Uid = $"officehours-{name}@platformbot",
                Summary = session.Title,
                Description = string.IsNullOrEmpty(session.Link) ? "Office hours" : $"Office hours. Join: {session.Link}",
                Location = session.Link,
                DtStart = new CalDateTime(session.Start.Year, session.Start.Month, session.Start.Day, hour, minute, 0, session.TimeZone),
                Duration = Duration.FromSeconds((int)session.Duration.TotalSeconds),
                DtStamp = new CalDateTime(now.UtcDateTime, "UTC", true),
            };
            calendarEvent.RecurrenceRule = pattern;
            ics.Events.Add(calendarEvent);
            if (zones.Add(session.TimeZone))
            {
                ics.AddTimeZone(session.TimeZone); // VTIMEZONE, so clients without IANA names place it right
            }
        }

        return new CalendarSerializer().SerializeToString(ics) ?? string.Empty;
    }
}
