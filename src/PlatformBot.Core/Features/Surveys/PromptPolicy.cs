namespace PlatformBot.Features.Surveys;

/// <summary>A decision about one prompt: send it (now or at the end of the person's quiet hours), or skip it and why.</summary>
internal readonly record struct PromptDecision(RecipientStatus Status, DateTimeOffset? SendAt)
{
    public bool Sends => Status == RecipientStatus.Prompted;
}

/// <summary>Survey fatigue and quiet hours, as arithmetic: no clock, no store.</summary>
internal static class PromptPolicy
{
    /// <summary>Whether a prompt goes to a person, and when.</summary>
    /// <param name="promptsInWindow">Prompts the person already has within the fatigue window (any survey).</param>
    /// <param name="countsAgainstBudget">False for reminders, which follow a prompt that was counted.</param>
    public static PromptDecision Decide(
        DateTimeOffset now,
        DateTimeOffset closesAt,
        TimeZoneInfo zone,
        int promptsInWindow,
        bool countsAgainstBudget,
        FatigueOptions fatigue,
        QuietHoursOptions quiet)
    {
        if (countsAgainstBudget && promptsInWindow >= fatigue.MaxPrompts)
        {
            return new PromptDecision(RecipientStatus.SkippedFatigue, null);
        }

        var at = NextAllowed(now, zone, quiet);
        return at < closesAt
            ? new PromptDecision(RecipientStatus.Prompted, at)
            : new PromptDecision(RecipientStatus.SkippedQuietHours, null);
    }

    /// <summary>The first instant at or after <paramref name="now"/> outside the person's quiet hours.</summary>
    public static DateTimeOffset NextAllowed(DateTimeOffset now, TimeZoneInfo zone, QuietHoursOptions quiet)
    {
        if (!quiet.Enabled)
        {
            return now;
        }

        var candidate = now;
        for (var step = 0; step < 16; step++)
        {
            var local = TimeZoneInfo.ConvertTime(candidate, zone);
            if (quiet.Weekends && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                candidate = AtLocal(DateOnly.FromDateTime(local.DateTime).AddDays(1), TimeOnly.MinValue, zone);
                continue;
            }

            if (!IsQuietTime(TimeOnly.FromDateTime(local.DateTime), quiet))
            {
                return candidate;
            }

            var day = DateOnly.FromDateTime(local.DateTime);
            var end = AtLocal(day, quiet.End, zone);
            candidate = end > candidate ? end : AtLocal(day.AddDays(1), quiet.End, zone);
        }

        return candidate;
    }

    public static bool IsQuietTime(TimeOnly time, QuietHoursOptions quiet) =>
        quiet.Start == quiet.End ? false
        : quiet.Start > quiet.End ? time >= quiet.Start || time < quiet.End
        : time >= quiet.Start && time < quiet.End;

    /// <summary>A local wall-clock time as an instant; a time skipped by a DST change moves forward by an hour.</summary>
    public static DateTimeOffset AtLocal(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
