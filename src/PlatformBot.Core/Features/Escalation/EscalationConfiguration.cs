using Microsoft.Extensions.Options;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Turns <c>OnCall</c> and <c>Escalation</c> configuration into an <see cref="EscalationBook"/>, or into errors that each name
/// the key to fix. The start-up validator and the book share it, so what starts is what was checked.
/// </summary>
internal static class EscalationConfiguration
{
    /// <param name="sla">The SLA settings, for their calendars; null when they are invalid themselves (their own validator says so).</param>
    public static (EscalationBook? Book, IReadOnlyList<string> Errors) Compile(EscalationOptions escalation, OnCallOptions onCall, SlaSettings? sla)
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

        var defaultCalendar = CompileCalendar($"{EscalationOptions.SectionName}:Calendar", escalation.Calendar, sla, errors);
        var policies = new Dictionary<string, EscalationPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, policy) in escalation.Policies)
        {
            var key = $"{EscalationOptions.SectionName}:Policies:{name}";
            if (CompilePolicy(key, name, policy, onCall, defaultCalendar, sla, errors) is { } compiled)
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

    private static EscalationPolicy? CompilePolicy(string key, string name, PolicyOptions policy, OnCallOptions onCall, BusinessCalendar? defaultCalendar, SlaSettings? sla, List<string> errors)
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

        var calendar = CompileCalendar($"{key}:Calendar", policy.Calendar, sla, errors) ?? defaultCalendar;
        Func<string, BusinessCalendar> calendarFor = calendar is not null
            ? _ => calendar
            : priority => sla?.Policies.GetValueOrDefault(priority) is { } slaPolicy ? sla.Calendar(slaPolicy.Calendar) : BusinessCalendar.AlwaysOpen;
        return errors.Count == before
            ? new EscalationPolicy(name, levels, policy.Repeat, afterHours == "page", calendarFor)
            : null;
    }

    /// <summary>A calendar named in the configuration; null when none is named (or it is unknown, which is an error).</summary>
    private static BusinessCalendar? CompileCalendar(string key, string? name, SlaSettings? sla, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (string.Equals(name, BusinessCalendar.AlwaysOpenName, StringComparison.OrdinalIgnoreCase))
        {
            return BusinessCalendar.AlwaysOpen;
        }

        if (sla is null)
        {
            return null; // the SLA configuration is wrong itself; its validator names the key
        }

        if (!sla.Calendars.TryGetValue(name, out var calendar))
        {
            errors.Add($"{key} '{name}' is neither '{BusinessCalendar.AlwaysOpenName}' nor one of Sla:Calendars ({Known(sla.Calendars.Keys.Where(k => k != BusinessCalendar.AlwaysOpenName))}).");
            return null;
        }

        return calendar;
    }

    /// <summary>The SLA settings when they are valid; null otherwise (the SLA validator reports them).</summary>
    public static SlaSettings? TrySla(SlaOptions options)
    {
        try
        {
            return SlaSettings.From(options);
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static string Known(IEnumerable<string> names) =>
        names.Any() ? "defined: " + string.Join(", ", names.Order(StringComparer.Ordinal)) : "none are defined";
}

/// <summary>Stops the start when the escalation or on-call configuration is wrong, naming the key.</summary>
internal sealed class EscalationOptionsValidator(IOptions<OnCallOptions> onCall, IOptions<SlaOptions> sla) : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var (_, errors) = EscalationConfiguration.Compile(options, onCall.Value, EscalationConfiguration.TrySla(sla.Value));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
