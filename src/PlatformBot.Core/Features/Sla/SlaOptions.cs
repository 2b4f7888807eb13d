using System.Globalization;
using Microsoft.Extensions.Options;

namespace PlatformBot.Features.Sla;

/// <summary>
/// <c>Sla</c>: calendars (<c>Sla:Calendars:&lt;name&gt;</c>), a policy per priority (<c>Sla:Policies:P1</c>…<c>P4</c>) and the
/// fractions of a target at which a warning is raised (<c>Sla:WarnAt</c>). Checked at start by <see cref="SlaOptionsValidator"/>.
/// </summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    public static readonly IReadOnlyList<double> DefaultWarnAt = [0.75, 0.9];

    public Dictionary<string, SlaCalendarOptions> Calendars { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, SlaPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fractions of a target (between 0 and 1) at which a warning is raised; empty means 0.75 and 0.9.</summary>
    public List<double> WarnAt { get; set; } = [];

    /// <summary>
    /// The safety-net sweep's interval. Due alerts are raised by one Quartz trigger at the earliest due time (see
    /// BENCHMARKS.md); this recurring sweep only catches what a missed reschedule would leave behind.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>One Quartz trigger at the earliest due time (on by default). Off, only the recurring sweep raises alerts (set a short interval then).</summary>
    public bool EarliestDueTrigger { get; set; } = true;
}

public sealed class SlaCalendarOptions
{
    /// <summary>An IANA time zone (<c>Europe/Berlin</c>).</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Per weekday or range of weekdays (<c>Monday</c>, <c>Mon</c>, <c>Mon-Fri</c>): <c>09:00-17:00</c>, or <c>09:00-12:00, 13:00-17:00</c>.</summary>
    public Dictionary<string, string> WorkingHours { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dates (<c>2026-12-25</c>) on which the calendar does not count.</summary>
    public List<string> Holidays { get; set; } = [];
}

public sealed class SlaPolicyOptions
{
    public TimeSpan FirstResponse { get; set; }

    /// <summary>From the requester's oldest unanswered comment to the next agent reply; the first response target when not set.</summary>
    public TimeSpan? NextResponse { get; set; }

    public TimeSpan Resolution { get; set; }

    /// <summary>A calendar's name, or <c>24x7</c>.</summary>
    public string Calendar { get; set; } = BusinessCalendar.AlwaysOpenName;
}

/// <summary>Names the key of every invalid value, so that a bad configuration stops the start with a useful message.</summary>
public sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        SlaSettings.Build(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The SLA configuration, checked and compiled: calendars, targets per priority, warning fractions.</summary>
public sealed class SlaSettings
{
    public static readonly IReadOnlyList<string> Priorities = ["P1", "P2", "P3", "P4"];

    private SlaSettings(IReadOnlyDictionary<string, BusinessCalendar> calendars, IReadOnlyDictionary<string, SlaPolicy> policies, IReadOnlyList<double> warnAt, TimeSpan sweepInterval)
    {
        Calendars = calendars;
        Policies = policies;
        WarnAt = warnAt;
        SweepInterval = sweepInterval;
    }

    public IReadOnlyDictionary<string, BusinessCalendar> Calendars { get; }

    /// <summary>By priority name (P1…P4).</summary>
    public IReadOnlyDictionary<string, SlaPolicy> Policies { get; }

    /// <summary>Warning fractions, ascending, each below 1.</summary>
    public IReadOnlyList<double> WarnAt { get; }

    public TimeSpan SweepInterval { get; }

    public BusinessCalendar Calendar(string name) =>
        Calendars.TryGetValue(name, out var calendar) ? calendar : BusinessCalendar.AlwaysOpen;

    /// <summary>Compiles validated options; throws when they are invalid (the validator has stopped the start before).</summary>
    public static SlaSettings From(SlaOptions options)
    {
        var errors = new List<string>();
        var settings = Build(options, errors);
        return errors.Count == 0 && settings is not null ? settings : throw new OptionsValidationException(SlaOptions.SectionName, typeof(SlaOptions), errors);
    }

    internal static SlaSettings? Build(SlaOptions options, List<string> errors)
    {
        var calendars = new Dictionary<string, BusinessCalendar>(StringComparer.OrdinalIgnoreCase)
        {
            [BusinessCalendar.AlwaysOpenName] = BusinessCalendar.AlwaysOpen,
        };
        foreach (var (name, calendar) in options.Calendars)
        {
            var key = $"Sla:Calendars:{name}";
            if (string.Equals(name, BusinessCalendar.AlwaysOpenName, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{key}: '{BusinessCalendar.AlwaysOpenName}' is built in (around the clock); name your calendar differently.");
                continue;
            }

            if (BuildCalendar(name, calendar, key, errors) is { } built)
            {
                calendars[name] = built;
            }
        }

        var policies = new Dictionary<string, SlaPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var priority in Priorities)
        {
            var key = $"Sla:Policies:{priority}";
            if (!options.Policies.TryGetValue(priority, out var policy))
            {
                errors.Add($"{key} is missing: every priority P1–P4 needs FirstResponse, Resolution and Calendar.");
                continue;
            }

            var ok = true;
            foreach (var (field, value) in new[] { ("FirstResponse", (TimeSpan?)policy.FirstResponse), ("NextResponse", policy.NextResponse), ("Resolution", policy.Resolution) })
            {
                if (value is { } v && (v < TimeSpan.FromSeconds(15) || v > TimeSpan.FromDays(366)))
                {
                    errors.Add($"{key}:{field} must be between 00:00:15 and 366.00:00:00 (a TimeSpan such as 00:30:00); it is {v}.");
                    ok = false;
                }
            }

            if (!calendars.ContainsKey(policy.Calendar ?? ""))
            {
                errors.Add($"{key}:Calendar '{policy.Calendar}' is neither '{BusinessCalendar.AlwaysOpenName}' nor one of Sla:Calendars ({string.Join(", ", calendars.Keys.Where(k => k != BusinessCalendar.AlwaysOpenName))}).");
                ok = false;
            }

            if (ok)
            {
                policies[priority] = new SlaPolicy(priority, policy.FirstResponse, policy.NextResponse ?? policy.FirstResponse, policy.Resolution, calendars[policy.Calendar!].Name);
            }
        }

        var warnAt = options.WarnAt.Count == 0 ? SlaOptions.DefaultWarnAt : options.WarnAt;
        for (var i = 0; i < warnAt.Count; i++)
        {
            if (!(warnAt[i] > 0 && warnAt[i] < 1))
            {
                errors.Add($"Sla:WarnAt:{i} must be a fraction between 0 and 1 (such as 0.75); it is {warnAt[i].ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(50) || options.SweepInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Sla:SweepInterval must be between 00:00:00.050 and 00:05:00; it is {options.SweepInterval}.");
        }

        return errors.Count > 0
            ? null
            : new SlaSettings(calendars, policies, [.. warnAt.Distinct().Order()], options.SweepInterval);
    }

    private static BusinessCalendar? BuildCalendar(string name, SlaCalendarOptions options, string key, List<string> errors)
    {
        var count = errors.Count;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? "", out var zone))
        {
            errors.Add($"{key}:TimeZone '{options.TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).");
        }

        var week = new Dictionary<DayOfWeek, IReadOnlyList<WorkingHours>>();
        foreach (var (days, hours) in options.WorkingHours)
        {
            var dayList = ParseDays(days);
            if (dayList is null)
            {
                errors.Add($"{key}:WorkingHours:{days}: '{days}' is not a weekday or a range of weekdays (Monday, Mon, Mon-Fri).");
                continue;
            }

            var stretches = ParseHours(hours);
            if (stretches is null)
            {
                errors.Add($"{key}:WorkingHours:{days}: '{hours}' is not a list of stretches such as 09:00-17:00 or 09:00-12:00, 13:00-17:00.");
                continue;
            }

            foreach (var day in dayList)
            {
                week[day] = week.TryGetValue(day, out var existing) ? [.. existing, .. stretches] : stretches;
            }
        }

        if (options.WorkingHours.Count == 0)
        {
            errors.Add($"{key}:WorkingHours is empty: give at least one weekday, e.g. \"Mon-Fri\": \"09:00-17:00\".");
        }

        var holidays = new List<DateOnly>();
        for (var i = 0; i < options.Holidays.Count; i++)
        {
            if (DateOnly.TryParseExact(options.Holidays[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                errors.Add($"{key}:Holidays:{i} '{options.Holidays[i]}' is not a date of the form 2026-12-25.");
            }
        }

        if (errors.Count > count || zone is null)
        {
            return null;
        }

        try
        {
            return BusinessCalendar.Create(name, zone, week, holidays);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{key}:WorkingHours: {ex.Message.Split(" (Parameter", StringSplitOptions.None)[0]}");
            return null;
        }
    }

    internal static List<DayOfWeek>? ParseDays(string text)
    {
        var parts = text.Split(['-', '–'], StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || ParseDay(parts[0]) is not { } first)
        {
            return null;
        }

        if (parts.Length == 1)
        {
            return [first];
        }

        if (ParseDay(parts[1]) is not { } last)
        {
            return null;
        }

        var days = new List<DayOfWeek> { first };
        for (var d = first; d != last;)
        {
            d = (DayOfWeek)(((int)d + 1) % 7);
            days.Add(d);
        }

        return days;
    }

    private static DayOfWeek? ParseDay(string text)
    {
        if (text.Length < 3)
        {
            return null;
        }

        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (day.ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        return null;
    }

    internal static List<WorkingHours>? ParseHours(string text)
    {
        var result = new List<WorkingHours>();
        foreach (var stretch in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = stretch.Split(['-', '–'], StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || ParseTime(ends[0]) is not { } start || ParseTime(ends[1]) is not { } end || end <= start)
            {
                return null;
            }

            result.Add(new WorkingHours(start, end));
        }

        return result.Count == 0 ? null : result;
    }

    private static TimeSpan? ParseTime(string text) =>
        text == "24:00" ? TimeSpan.FromHours(24)
        : TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.ToTimeSpan() : null;
}

/// <summary>The targets for one priority, on one calendar.</summary>
public sealed record SlaPolicy(string Priority, TimeSpan FirstResponse, TimeSpan NextResponse, TimeSpan Resolution, string Calendar)
{
    public TimeSpan TargetFor(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => FirstResponse,
        SlaMetric.NextResponse => NextResponse,
        _ => Resolution,
    };
}
