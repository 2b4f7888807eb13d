using PlatformBot.Features.Sla;

namespace PlatformBot.Tests.Features.Escalation;

/// <summary>The zone and office hours the pure escalation tests share.</summary>
internal static class Calendars
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Mon 23 Nov 2026 10:00 Berlin.</summary>
    public static readonly DateTimeOffset MondayTen = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Mon–Fri 09:00–17:00 Berlin, closed on Christmas Day 2026.</summary>
    public static readonly BusinessCalendar Office = BusinessCalendar.Create(
        "office",
        Berlin,
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .ToDictionary(d => d, IReadOnlyList<WorkingHours> (_) => [new WorkingHours(TimeSpan.FromHours(9), TimeSpan.FromHours(17))]),
        [new DateOnly(2026, 12, 25)]);
}
