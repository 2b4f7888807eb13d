using System.Globalization;

namespace PlatformBot.Features.OfficeHours;

internal static class ZonedTime
{
    /// <summary>"Thu 26 Nov 15:00 (Europe/Berlin)": a time as a person in that zone reads it.</summary>
    public static string Format(DateTimeOffset instant, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }

    public static string Clock(DateTimeOffset instant, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
    }
}
