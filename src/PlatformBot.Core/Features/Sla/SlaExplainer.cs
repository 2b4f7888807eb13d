using PlatformBot.Conversations;

namespace PlatformBot.Features.Sla;

/// <summary>
/// Explains a clock in words, which no service desk does in chat: "due Tue 24 Nov 10:30: Mon 23 Nov is a holiday, paused
/// 2 h while waiting for you". Pure: the timer, its calendar, the time now and the reader's zone come in.
/// </summary>
public static class SlaExplainer
{
    /// <param name="waitingFor">Who the clock waits for, as the reader should read it ("you", or the requester's name).</param>
    public static RichText Explain(SlaTimer timer, BusinessCalendar calendar, DateTimeOffset now, TimeZoneInfo zone, string waitingFor)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(calendar);
        var name = Capitalized(TimeWords.MetricName(timer.Metric));
        var target = TimeWords.Duration(timer.Target);
        var elapsed = timer.Elapsed(now, calendar);
        switch (timer.Status)
        {
            case SlaTimerStatus.Stopped when timer.Breached:
                return Md.Text($"*{Md.Raw(name)}*: given {TimeWords.At(timer.StoppedAt!.Value, zone)}, after {TimeWords.Duration(elapsed)} of working time: over its {target} target.");
            case SlaTimerStatus.Stopped:
                return Md.Text($"*{Md.Raw(name)}*: met {TimeWords.At(timer.StoppedAt!.Value, zone)}, after {TimeWords.Duration(elapsed)} of its {target}.");
            case SlaTimerStatus.Paused:
                var left = timer.Target - elapsed;
                var pausedSince = timer.PausedAt is { } p ? TimeWords.At(p, zone) : "now";
                return left > TimeSpan.Zero
                    ? Md.Text($"*{Md.Raw(name)}*: paused since {pausedSince} while waiting for {waitingFor}; {TimeWords.Duration(left)} of its {target} left when it runs again.")
                    : Md.Text($"*{Md.Raw(name)}*: paused since {pausedSince} while waiting for {waitingFor}; already over its {target} target.");
            default:
                var due = timer.DueAt ?? now;
                var reasons = Reasons(timer, calendar, now, due, waitingFor);
                var why = reasons.Count == 0 ? string.Empty : ": " + string.Join(", ", reasons);
                return due <= now
                    ? Md.Text($"*{Md.Raw(name)}*: overdue since {TimeWords.At(due, zone)} (target {target}){why}.")
                    : Md.Text($"*{Md.Raw(name)}*: due {TimeWords.At(due, zone)}, {TimeWords.Duration(timer.Target - elapsed)} of working time left of {target}{why}.");
        }
    }

    /// <summary>Why the due time is later than the target after the start: working hours, holidays, pauses.</summary>
    internal static List<string> Reasons(SlaTimer timer, BusinessCalendar calendar, DateTimeOffset now, DateTimeOffset due, string waitingFor)
    {
        var reasons = new List<string>();
        var holidays = calendar.IsAlwaysOpen ? [] : Holidays(calendar, timer.StartedAt, due);
        foreach (var day in holidays)
        {
            reasons.Add($"{BusinessCalendar.Short(day.DayOfWeek)} {day.Day} {day.ToString("MMM", System.Globalization.CultureInfo.InvariantCulture)} is a holiday");
        }

        if (timer.PausedFor >= TimeSpan.FromMinutes(1))
        {
            reasons.Add($"paused {TimeWords.Duration(timer.PausedFor)} while waiting for {waitingFor}");
        }

        if (!calendar.IsAlwaysOpen && !calendar.IsOpen(now))
        {
            reasons.Add($"it counts only {calendar.Describe()}, so it stands still until work starts again");
        }
        else if (!calendar.IsAlwaysOpen && holidays.Count == 0 && due - timer.StartedAt > timer.Target + timer.PausedFor)
        {
            reasons.Add($"it counts only {calendar.Describe()}");
        }

        return reasons;
    }

    private static List<DateOnly> Holidays(BusinessCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var first = calendar.LocalDate(from);
        var last = calendar.LocalDate(to);
        return [.. calendar.Holidays.Where(d => d >= first && d <= last && calendar.HoursOn(d.DayOfWeek).Count > 0).Order()];
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
