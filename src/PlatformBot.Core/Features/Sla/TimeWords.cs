using System.Globalization;

namespace PlatformBot.Features.Sla;

/// <summary>Instants and durations in words people read in chat, in the reader's time zone. Pure.</summary>
public static class TimeWords
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>"Mon 23 Nov 10:30" in <paramref name="zone"/>.</summary>
    public static string At(DateTimeOffset at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString("ddd d MMM HH:mm", Culture);
    }

    /// <summary>"Mon 23 Nov 10:30 (Europe/Berlin)".</summary>
    public static string AtWithZone(DateTimeOffset at, TimeZoneInfo zone) => $"{At(at, zone)} ({zone.Id})";

    /// <summary>"40 min", "3 h 20 min", "2 d 4 h" (days only for long wall-clock spans).</summary>
    public static string Duration(TimeSpan span, bool days = false)
    {
        if (span < TimeSpan.Zero)
        {
            span = -span;
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{(int)Math.Ceiling(span.TotalSeconds)} s";
        }

        var minutes = (long)Math.Round(span.TotalMinutes);
        if (minutes < 60)
        {
            return $"{minutes} min";
        }

        if (days && minutes >= 48 * 60)
        {
            var d = minutes / (24 * 60);
            var h = minutes % (24 * 60) / 60;
            return h == 0 ? $"{d} d" : $"{d} d {h} h";
        }

        var hours = minutes / 60;
        var rest = minutes % 60;
        return rest == 0 ? $"{hours} h" : $"{hours} h {rest} min";
    }

    /// <summary>A person's zone when the channel told us and it is known here, else the team's.</summary>
    public static TimeZoneInfo ZoneOf(string? personZone, string teamZone) =>
        personZone is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(personZone, out var zone) ? zone
        : TimeZoneInfo.TryFindSystemTimeZoneById(teamZone, out var team) ? team
        : TimeZoneInfo.Utc;

    public static string MetricName(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => "first response",
        SlaMetric.NextResponse => "next response",
        _ => "resolution",
    };
}
