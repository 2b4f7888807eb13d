using System.Globalization;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Wall-clock times in an IANA zone turned into instants, the same way everywhere (rotations, business hours, typed
/// times): a time that does not exist (the hour skipped when clocks go forward) moves forward by the gap, and a time
/// that happens twice (the hour repeated when clocks go back) means its first occurrence.
/// </summary>
internal static class ZonedTime
{
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone) =>
        ToInstant(date.ToDateTime(time, DateTimeKind.Unspecified), zone);

    public static DateTimeOffset ToInstant(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The offset in force before the jump: 02:30 on the spring-forward night becomes 03:30 summer time.
            return new DateTimeOffset(local, zone.GetUtcOffset(local.AddDays(-1)));
        }

        if (zone.IsAmbiguousTime(local))
        {
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static DateTimeOffset InZone(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    public static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(InZone(at, zone).DateTime);

    /// <summary><c>Mon 23 Nov 09:00</c> in the zone.</summary>
    public static string Format(DateTimeOffset at, TimeZoneInfo zone) => Sla.TimeWords.At(at, zone);

    /// <summary><c>Mon 23 Nov 09:00 Europe/Berlin</c>, with the reader's own time when the reader's zone is another: <c>… (08:00 UTC your time)</c>.</summary>
    public static string Format(DateTimeOffset at, TimeZoneInfo zone, TimeZoneInfo reader)
    {
        var there = $"{Format(at, zone)} {zone.Id}";
        if (reader.Id == zone.Id || reader.GetUtcOffset(at) == zone.GetUtcOffset(at))
        {
            return there;
        }

        var readerLocal = InZone(at, reader);
        var sameDay = DateOnly.FromDateTime(readerLocal.DateTime) == LocalDate(at, zone);
        var mine = readerLocal.ToString(sameDay ? "HH:mm" : "ddd d MMM HH:mm", CultureInfo.InvariantCulture);
        return $"{there} ({mine} {reader.Id}, your time)";
    }

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        return false;
    }

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
