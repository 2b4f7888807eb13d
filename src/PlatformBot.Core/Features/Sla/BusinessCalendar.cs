using System.Collections.Frozen;
using System.Collections.Immutable;

namespace PlatformBot.Features.Sla;

/// <summary>A stretch of working time on one day, in the calendar's local wall-clock time (<see cref="End"/> may be 24:00).</summary>
public readonly record struct WorkingHours(TimeSpan Start, TimeSpan End)
{
    public override string ToString() => $"{Format(Start)}–{Format(End)}";

    private static string Format(TimeSpan t) => t == TimeSpan.FromHours(24) ? "24:00" : t.ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Working time: a time zone, working hours per weekday (several stretches a day, so a lunch break can be left out) and
/// holidays. Pure: it answers how much working time lies between two instants and when an amount of working time runs out,
/// across weekends, holidays and daylight-saving changes (hours are wall-clock hours: the day clocks go forward has one
/// hour less between 00:00 and 24:00, the day they go back one more).
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>The name of the calendar that never closes (calendar time, the same in every zone).</summary>
    public const string AlwaysOpenName = "24x7";

    /// <summary>How far ahead the arithmetic looks for working time before it gives up (a calendar with no working time).</summary>
    private const int MaxDays = 366 * 10;

    public static readonly BusinessCalendar AlwaysOpen = new(AlwaysOpenName, TimeZoneInfo.Utc, null, []);

    private readonly ImmutableArray<WorkingHours>[]? _week;
    private readonly FrozenSet<DateOnly> _holidays;

    private BusinessCalendar(string name, TimeZoneInfo timeZone, ImmutableArray<WorkingHours>[]? week, IEnumerable<DateOnly> holidays)
    {
        Name = name;
        TimeZone = timeZone;
        _week = week;
        _holidays = holidays.ToFrozenSet();
    }

    public string Name { get; }

    public TimeZoneInfo TimeZone { get; }

    public bool IsAlwaysOpen => _week is null;

    public IReadOnlyCollection<DateOnly> Holidays => _holidays;

    /// <summary>A calendar of working hours per weekday; weekdays that are missing are not working days.</summary>
    /// <exception cref="ArgumentException">No working time at all in the week, or a stretch that ends before it starts or after 24:00.</exception>
    public static BusinessCalendar Create(string name, TimeZoneInfo timeZone, IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingHours>> week, IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(week);
        var days = new ImmutableArray<WorkingHours>[7];
        for (var d = 0; d < 7; d++)
        {
            var stretches = week.TryGetValue((DayOfWeek)d, out var list) ? list.OrderBy(s => s.Start).ToImmutableArray() : [];
            for (var i = 0; i < stretches.Length; i++)
            {
                var s = stretches[i];
                if (s.Start < TimeSpan.Zero || s.End > TimeSpan.FromHours(24) || s.End <= s.Start)
                {
                    throw new ArgumentException($"{(DayOfWeek)d}: {s} is not a stretch of one day (start before end, within 00:00–24:00).", nameof(week));
                }

                if (i > 0 && stretches[i - 1].End > s.Start)
                {
                    throw new ArgumentException($"{(DayOfWeek)d}: {stretches[i - 1]} and {s} overlap.", nameof(week));
                }
            }

            days[d] = stretches;
        }

        if (days.All(d => d.IsEmpty))
        {
            throw new ArgumentException("The week has no working hours at all.", nameof(week));
        }

        return new BusinessCalendar(name, timeZone, days, holidays);
    }

    public IReadOnlyList<WorkingHours> HoursOn(DayOfWeek day) => _week is null ? [new WorkingHours(TimeSpan.Zero, TimeSpan.FromHours(24))] : _week[(int)day];

    public bool IsHoliday(DateOnly date) => _holidays.Contains(date);

    /// <summary>The local date of an instant in this calendar's zone.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    /// <summary>Working time in [from, to); zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (_week is null)
        {
            return to - from;
        }

        var total = TimeSpan.Zero;
        foreach (var (start, end) in Stretches(LocalDate(from).AddDays(-1)))
        {
            if (start >= to)
            {
                break;
            }

            if (end <= from)
            {
                continue;
            }

            total += Min(end, to) - Max(start, from);
        }

        return total;
    }

    /// <summary>The first instant at which <paramref name="amount"/> of working time has passed since <paramref name="start"/>.</summary>
    /// <exception cref="InvalidOperationException">The calendar has no working time within ten years.</exception>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan amount)
    {
        if (amount <= TimeSpan.Zero)
        {
            return start;
        }

        if (_week is null)
        {
            return start + amount;
        }

        var remaining = amount;
        foreach (var (stretchStart, stretchEnd) in Stretches(LocalDate(start).AddDays(-1)))
        {
            if (stretchEnd <= start)
            {
                continue;
            }

            var from = Max(stretchStart, start);
            var available = stretchEnd - from;
            if (remaining <= available)
            {
                return from + remaining;
            }

            remaining -= available;
        }

        throw new InvalidOperationException($"The calendar '{Name}' has no working time within {MaxDays} days.");
    }

    /// <summary>True when the instant is inside working hours.</summary>
    public bool IsOpen(DateTimeOffset at) => _week is null || Stretches(LocalDate(at).AddDays(-1)).TakeWhile(s => s.Start <= at).Any(s => s.End > at);

    /// <summary>The working stretches as UTC instants, from a local date on, holidays left out.</summary>
    internal IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Stretches(DateOnly fromDate)
    {
        var week = _week ?? throw new InvalidOperationException("An always-open calendar has no stretches.");
        for (var i = 0; i < MaxDays; i++)
        {
            var date = fromDate.AddDays(i);
            if (_holidays.Contains(date))
            {
                continue;
            }

            foreach (var hours in week[(int)date.DayOfWeek])
            {
                var start = ToInstant(date, hours.Start, isEnd: false);
                var end = ToInstant(date, hours.End, isEnd: true);
                if (end > start)
                {
                    yield return (start, end);
                }
            }
        }
    }

    /// <summary>
    /// A local wall-clock time as an instant. A time the clocks skip (spring forward) is the moment they jump; a time that
    /// happens twice (fall back) is its first occurrence for a stretch's start and its second for its end, so both count.
    /// </summary>
    internal DateTimeOffset ToInstant(DateOnly date, TimeSpan timeOfDay, bool isEnd)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        if (TimeZone.IsInvalidTime(local))
        {
            var steps = 0;
            do
            {
                local = local.AddMinutes(1);
            }
            while (TimeZone.IsInvalidTime(local) && ++steps < 24 * 60);
        }

        if (TimeZone.IsAmbiguousTime(local))
        {
            var offsets = TimeZone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, isEnd ? offsets.Min() : offsets.Max());
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    /// <summary>The week in words: "Mon–Fri 09:00–17:00, Europe/Berlin".</summary>
    public string Describe()
    {
        if (_week is null)
        {
            return "around the clock, every day";
        }

        var groups = new List<(DayOfWeek First, DayOfWeek Last, string Hours)>();
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday })
        {
            var hours = string.Join(", ", _week[(int)day].Select(h => h.ToString()));
            if (hours.Length == 0)
            {
                continue;
            }

            if (groups.Count > 0 && groups[^1].Hours == hours && (((int)groups[^1].Last + 1) % 7) == (int)day)
            {
                groups[^1] = (groups[^1].First, day, hours);
            }
            else
            {
                groups.Add((day, day, hours));
            }
        }

        var text = string.Join("; ", groups.Select(g => g.First == g.Last ? $"{Short(g.First)} {g.Hours}" : $"{Short(g.First)}–{Short(g.Last)} {g.Hours}"));
        return $"{text} ({TimeZone.Id})";
    }

    internal static string Short(DayOfWeek day) => day.ToString()[..3];

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
