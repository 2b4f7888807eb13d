using System.Globalization;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// A policy's calendar: working days with one opening interval each, holidays excluded, in an IANA zone. Low-priority
/// escalations wait for it to open. Pure: no clock.
/// </summary>
internal sealed class BusinessHours(TimeZoneInfo zone, IReadOnlySet<DayOfWeek> days, TimeOnly open, TimeOnly close, IReadOnlySet<DateOnly> holidays)
{
    public TimeZoneInfo Zone => zone;

    public bool IsOpen(DateTimeOffset at)
    {
        var date = ZonedTime.LocalDate(at, zone);
        return IsWorkingDay(date) && at >= ZonedTime.ToInstant(date, open, zone) && at < ZonedTime.ToInstant(date, close, zone);
    }

    /// <summary><paramref name="at"/> itself when open, else the next opening; null when the calendar never opens within a year.</summary>
    public DateTimeOffset? NextOpen(DateTimeOffset at)
    {
        if (IsOpen(at))
        {
            return at;
        }

        var date = ZonedTime.LocalDate(at, zone);
        for (var i = 0; i <= 366; i++)
        {
            var day = date.AddDays(i);
            if (IsWorkingDay(day) && ZonedTime.ToInstant(day, open, zone) is var opens && opens > at)
            {
                return opens;
            }
        }

        return null;
    }

    public bool IsHoliday(DateOnly date) => holidays.Contains(date);

    public string Describe() =>
        string.Join(", ", Enum.GetValues<DayOfWeek>().Where(days.Contains).Select(d => d.ToString()[..3]))
        + $" {open.ToString("HH:mm", CultureInfo.InvariantCulture)}–{close.ToString("HH:mm", CultureInfo.InvariantCulture)} {zone.Id}"
        + (holidays.Count > 0 ? $", {holidays.Count} holiday(s)" : string.Empty);

    private bool IsWorkingDay(DateOnly date) => days.Contains(date.DayOfWeek) && !holidays.Contains(date);
}
