using Microsoft.Extensions.Options;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Turns <c>OnCall</c> and <c>Escalation</c> configuration into an <see cref="EscalationBook"/>, or into errors that each name
/// the key to fix. The start-up validator and the book share it, so what starts is what was checked.
/// </summary>
internal static class EscalationConfiguration
{
    private static readonly DayOfWeek[] WorkingWeek = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static (EscalationBook? Book, IReadOnlyList<string> Errors) Compile(EscalationOptions escalation, OnCallOptions onCall, TeamOptions team)
    {
        var errors = new List<string>();
        var rotations = new Dictionary<string, Rotation>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, schedule) in onCall.Schedules)
        {
            if (CompileSchedule($"{OnCallOptions.SectionName}:Schedules:{name}", name, schedule, errors) is { } rotation)
            {
                rotations[name] = rotation;
            }
        }

        var teamZone = ZonedTime.TryFindZone(team.TimeZone, out var tz) ? tz : TimeZoneInfo.Utc;
        var defaultHours = CompileHours($"{EscalationOptions.SectionName}:BusinessHours", escalation.BusinessHours, teamZone, errors);
        var policies = new Dictionary<string, EscalationPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, policy) in escalation.Policies)
        {
            var key = $"{EscalationOptions.SectionName}:Policies:{name}";
            if (CompilePolicy(key, name, policy, onCall, defaultHours, teamZone, errors) is { } compiled)
            {
                policies[name] = compiled;
            }
        }

        var rules = new List<EscalationRule>();
        foreach (var (rule, i) in (escalation.Rules ?? []).Select((r, i) => (r, i)))
        {
            var key = $"{EscalationOptions.SectionName}:Rules:{i}";
            var priority = string.IsNullOrWhiteSpace(rule.Priority) ? null : EscalationBook.NormalizePriority(rule.Priority);
            if (!string.IsNullOrWhiteSpace(rule.Priority) && priority is null)
            {
                errors.Add($"{key}:Priority '{rule.Priority}' is not one of {string.Join(", ", EscalationBook.Priorities)}.");
            }

            if (string.IsNullOrWhiteSpace(rule.Policy) || !escalation.Policies.ContainsKey(rule.Policy))
            {
                errors.Add($"{key}:Policy names the policy '{rule.Policy}', which is not defined under {EscalationOptions.SectionName}:Policies ({Known(escalation.Policies.Keys)}).");
                continue;
            }

            rules.Add(new EscalationRule(priority, string.IsNullOrWhiteSpace(rule.Category) ? null : rule.Category.Trim(), rule.Policy));
        }

        if (!string.IsNullOrWhiteSpace(escalation.DefaultPolicy) && !escalation.Policies.ContainsKey(escalation.DefaultPolicy))
        {
            errors.Add($"{EscalationOptions.SectionName}:DefaultPolicy names the policy '{escalation.DefaultPolicy}', which is not defined under {EscalationOptions.SectionName}:Policies ({Known(escalation.Policies.Keys)}).");
        }

        if (escalation.SweepInterval < TimeSpan.FromSeconds(1) || escalation.SweepInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{EscalationOptions.SectionName}:SweepInterval must be between 00:00:01 and 00:05:00.");
        }

        if (escalation.RequesterCooldown < TimeSpan.Zero || escalation.RequesterCooldown > TimeSpan.FromDays(7))
        {
            errors.Add($"{EscalationOptions.SectionName}:RequesterCooldown must be between 00:00:00 and 7.00:00:00.");
        }

        var defaultPolicy = string.IsNullOrWhiteSpace(escalation.DefaultPolicy) ? null : escalation.DefaultPolicy;
        return errors.Count > 0 ? (null, errors) : (new EscalationBook(rotations, policies, rules, defaultPolicy), errors);
    }

    private static Rotation? CompileSchedule(string key, string name, ScheduleOptions schedule, List<string> errors)
    {
        var before = errors.Count;
        if (!ZonedTime.TryFindZone(schedule.TimeZone, out var zone))
        {
            errors.Add($"{key}:TimeZone '{schedule.TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).");
        }

        var members = (schedule.Members ?? []).Select(m => m?.Trim() ?? string.Empty).ToList();
        if (members.Count == 0 || members.Exists(m => m.Length == 0))
        {
            errors.Add($"{key}:Members must list at least one user id, and no empty ones.");
        }

        RotationKind? kind = schedule.Rotation?.Trim().ToLowerInvariant() switch
        {
            "daily" => RotationKind.Daily,
            "weekly" => RotationKind.Weekly,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add($"{key}:Rotation '{schedule.Rotation}' must be 'daily' or 'weekly'.");
        }

        if (!ZonedTime.TryParseTime(schedule.HandoffTime, out var handoff))
        {
            errors.Add($"{key}:HandoffTime '{schedule.HandoffTime}' must be a time of day such as 09:00.");
        }

        var handoffDay = DayOfWeek.Monday;
        if (kind == RotationKind.Weekly && !Enum.TryParse(schedule.HandoffDay, ignoreCase: true, out handoffDay))
        {
            errors.Add($"{key}:HandoffDay '{schedule.HandoffDay}' must be a weekday such as Monday (weekly rotations hand off on it).");
        }

        if (!ZonedTime.TryParseDate(schedule.Start, out var start))
        {
            errors.Add($"{key}:Start '{schedule.Start}' must be a date such as 2026-01-05 (the first member's first day).");
        }

        return errors.Count == before ? new Rotation(name, zone, members, kind!.Value, handoff, handoffDay, start) : null;
    }

    private static EscalationPolicy? CompilePolicy(string key, string name, PolicyOptions policy, OnCallOptions onCall, BusinessHours? defaultHours, TimeZoneInfo teamZone, List<string> errors)
    {
        var before = errors.Count;
        var levels = new List<EscalationLevel>();
        if (policy.Levels is not { Count: > 0 })
        {
            errors.Add($"{key}:Levels must list at least one level.");
        }

        foreach (var (level, i) in (policy.Levels ?? []).Select((l, i) => (l, i)))
        {
            var levelKey = $"{key}:Levels:{i}";
            var targets = new List<EscalationTarget>();
            if (level.Targets is not { Count: > 0 })
            {
                errors.Add($"{levelKey}:Targets must list at least one target (schedule:<name>, user:<id> or channel:<id>).");
            }

            foreach (var (text, j) in (level.Targets ?? []).Select((t, j) => (t, j)))
            {
                if (!EscalationTarget.TryParse(text ?? string.Empty, out var target))
                {
                    errors.Add($"{levelKey}:Targets:{j} '{text}' must be schedule:<name>, user:<id> or channel:<id>.");
                    continue;
                }

                if (target.Kind == TargetKind.Schedule && !onCall.Schedules.ContainsKey(target.Name))
                {
                    errors.Add($"{levelKey}:Targets:{j} names the schedule '{target.Name}', which is not defined under {OnCallOptions.SectionName}:Schedules ({Known(onCall.Schedules.Keys)}).");
                    continue;
                }

                targets.Add(target);
            }

            if (level.After <= TimeSpan.Zero || level.After > TimeSpan.FromDays(7))
            {
                errors.Add($"{levelKey}:After must be a TimeSpan between 00:00:01 and 7.00:00:00 (the wait for an acknowledgement before the next level).");
            }

            levels.Add(new EscalationLevel(targets, level.After));
        }

        if (policy.Repeat is < 0 or > 10)
        {
            errors.Add($"{key}:Repeat must be between 0 and 10.");
        }

        var afterHours = policy.AfterHours?.Trim().ToLowerInvariant();
        if (afterHours is not (null or "" or "wait" or "page"))
        {
            errors.Add($"{key}:AfterHours '{policy.AfterHours}' must be 'wait' or 'page'.");
        }

        var hours = policy.BusinessHours is null ? defaultHours : CompileHours($"{key}:BusinessHours", policy.BusinessHours, teamZone, errors);
        return errors.Count == before && hours is not null
            ? new EscalationPolicy(name, levels, policy.Repeat, afterHours == "page", hours)
            : null;
    }

    private static BusinessHours? CompileHours(string key, BusinessHoursOptions? options, TimeZoneInfo teamZone, List<string> errors)
    {
        options ??= new BusinessHoursOptions();
        var before = errors.Count;
        var zone = teamZone;
        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !ZonedTime.TryFindZone(options.TimeZone, out zone))
        {
            errors.Add($"{key}:TimeZone '{options.TimeZone}' is not a known IANA time zone.");
        }

        var days = new HashSet<DayOfWeek>(WorkingWeek);
        if (options.Days is { Count: > 0 })
        {
            days.Clear();
            foreach (var day in options.Days)
            {
                if (Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                {
                    days.Add(parsed);
                }
                else
                {
                    errors.Add($"{key}:Days '{day}' is not a weekday (Monday … Sunday).");
                }
            }
        }

        var open = new TimeOnly(9, 0);
        var close = new TimeOnly(17, 0);
        if (options.Open is not null && !ZonedTime.TryParseTime(options.Open, out open))
        {
            errors.Add($"{key}:Open '{options.Open}' must be a time of day such as 09:00.");
        }

        if (options.Close is not null && !ZonedTime.TryParseTime(options.Close, out close))
        {
            errors.Add($"{key}:Close '{options.Close}' must be a time of day such as 17:00.");
        }

        if (open >= close)
        {
            errors.Add($"{key}:Open ({options.Open ?? "09:00"}) must be before {key}:Close ({options.Close ?? "17:00"}).");
        }

        var holidays = new HashSet<DateOnly>();
        foreach (var text in options.Holidays ?? [])
        {
            if (ZonedTime.TryParseDate(text, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                errors.Add($"{key}:Holidays '{text}' must be a date such as 2026-12-25.");
            }
        }

        return errors.Count == before ? new BusinessHours(zone, days, open, close, holidays) : null;
    }

    private static string Known(IEnumerable<string> names) =>
        names.Any() ? "defined: " + string.Join(", ", names.Order(StringComparer.Ordinal)) : "none are defined";
}

/// <summary>Stops the start when the escalation or on-call configuration is wrong, naming the key.</summary>
internal sealed class EscalationOptionsValidator(IOptions<OnCallOptions> onCall, IOptions<TeamOptions> team) : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var (_, errors) = EscalationConfiguration.Compile(options, onCall.Value, team.Value);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
