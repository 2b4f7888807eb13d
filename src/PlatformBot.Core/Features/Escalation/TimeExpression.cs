using System.Globalization;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Times people type in commands (<c>/oncall override … saturday 20:00 sunday 20:00</c>, <c>/escalate dryrun P3 at 02:00</c>),
/// read in a given zone: <c>now</c>, <c>+2h</c>, <c>18:00</c> (today), <c>tomorrow 09:00</c>, <c>saturday 02:00</c> (its next
/// occurrence), <c>2026-12-24</c>, <c>2026-12-24 18:00</c>, <c>2026-12-24T18:00</c>, or with an offset <c>2026-12-24T18:00+01:00</c>.
/// Pure: the current instant is passed in.
/// </summary>
internal static class TimeExpression
{
    public const string Examples = "`now`, `+2h`, `18:00`, `tomorrow 09:00`, `saturday 02:00`, `2026-12-24 18:00` or `2026-12-24T18:00+01:00`";

    private static readonly string[] OffsetFormats = ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>Reads one expression of one or two words.</summary>
    public static bool TryParse(IReadOnlyList<string> words, TimeZoneInfo zone, DateTimeOffset now, out DateTimeOffset at)
    {
        at = default;
        if (words.Count is 0 or > 2)
        {
            return false;
        }

        var first = words[0].ToLowerInvariant();
        TimeOnly? time = null;
        if (words.Count == 2)
        {
            if (!ZonedTime.TryParseTime(words[1], out var t))
            {
                return false;
            }

            time = t;
        }

        if (words.Count == 1)
        {
            if (first == "now")
            {
                at = now;
                return true;
            }

            if (TryRelative(first, now, out at))
            {
                return true;
            }

            if (DateTimeOffset.TryParseExact(words[0], OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
            {
                return true;
            }

            if (DateTime.TryParseExact(words[0], LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                at = ZonedTime.ToInstant(local, zone);
                return true;
            }

            if (ZonedTime.TryParseTime(first, out var onlyTime))
            {
                at = ZonedTime.ToInstant(ZonedTime.LocalDate(now, zone), onlyTime, zone);
                return true;
            }
        }

        var today = ZonedTime.LocalDate(now, zone);
        var clock = time ?? TimeOnly.MinValue;
        if (ZonedTime.TryParseDate(first, out var date))
        {
            at = ZonedTime.ToInstant(date, clock, zone);
            return true;
        }

        switch (first)
        {
            case "today":
                at = ZonedTime.ToInstant(today, clock, zone);
                return true;
            case "tomorrow":
                at = ZonedTime.ToInstant(today.AddDays(1), clock, zone);
                return true;
            default:
                break;
        }

        if (TryWeekday(first, out var weekday))
        {
            var ahead = (((int)weekday - (int)today.DayOfWeek) % 7 + 7) % 7;
            at = ZonedTime.ToInstant(today.AddDays(ahead), clock, zone);
            if (at < now)
            {
                at = ZonedTime.ToInstant(today.AddDays(ahead + 7), clock, zone);
            }

            return true;
        }

        return false;
    }

    /// <summary>Reads two expressions in a row (<c>saturday 20:00 sunday 08:00</c>, <c>now +8h</c>).</summary>
    public static bool TryParseRange(IReadOnlyList<string> words, TimeZoneInfo zone, DateTimeOffset now, out DateTimeOffset from, out DateTimeOffset to)
    {
        from = default;
        to = default;
        for (var split = 1; split < words.Count && split <= 2; split++)
        {
            if (words.Count - split is >= 1 and <= 2
                && TryParse([.. words.Take(split)], zone, now, out from)
                && TryParse([.. words.Skip(split)], zone, now, out to))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryRelative(string word, DateTimeOffset now, out DateTimeOffset at)
    {
        at = default;
        if (word.Length < 3 || word[0] != '+' || !int.TryParse(word.AsSpan(1, word.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 10_000)
        {
            return false;
        }

        TimeSpan? span = word[^1] switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        if (span is null)
        {
            return false;
        }

        at = now + span.Value;
        return true;
    }

    private static bool TryWeekday(string word, out DayOfWeek day)
    {
        foreach (var candidate in Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString().ToLowerInvariant();
            if (word == name || word == name[..3])
            {
                day = candidate;
                return true;
            }
        }

        day = default;
        return false;
    }
}
