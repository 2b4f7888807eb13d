using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Escalation;

internal enum TargetKind
{
    Schedule,
    User,
    Channel,
}

/// <summary>Whom a level pages: whoever is on call in a schedule, one person, or a channel.</summary>
internal sealed record EscalationTarget(TargetKind Kind, string Name)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Name}";

    public static bool TryParse(string text, out EscalationTarget target)
    {
        target = new EscalationTarget(TargetKind.User, string.Empty);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var name = text[(colon + 1)..].Trim();
        TargetKind? kind = text[..colon].Trim().ToLowerInvariant() switch
        {
            "schedule" => TargetKind.Schedule,
            "user" => TargetKind.User,
            "channel" => TargetKind.Channel,
            _ => null,
        };
        if (kind is null || name.Length == 0)
        {
            return false;
        }

        target = new EscalationTarget(kind.Value, name);
        return true;
    }
}

/// <summary>One step of a policy: its targets, and how long to wait for an acknowledgement before the next step.</summary>
internal sealed record EscalationLevel(IReadOnlyList<EscalationTarget> Targets, TimeSpan After);

/// <param name="Repeat">How many more times the whole chain runs when nobody acknowledges.</param>
/// <param name="PageAfterHours">P3/P4 are paged outside business hours too (otherwise they wait for the calendar to open).</param>
/// <param name="CalendarFor">The business calendar for a ticket of a priority: the policy's own, or the ticket's SLA calendar.</param>
internal sealed record EscalationPolicy(string Name, IReadOnlyList<EscalationLevel> Levels, int Repeat, bool PageAfterHours, Func<string, BusinessCalendar> CalendarFor)
{
    /// <summary>Priorities that wait for business hours unless the policy says <c>AfterHours=page</c>.</summary>
    public static bool IsLowPriority(string priority) => priority is "P3" or "P4";

    /// <summary>When the calendar next opens (<paramref name="at"/> itself when it is open); null when it never does.</summary>
    public static DateTimeOffset? NextOpen(BusinessCalendar calendar, DateTimeOffset at)
    {
        if (calendar.IsOpen(at))
        {
            return at;
        }

        try
        {
            // The first tick of working time after "at" starts at the next opening.
            return calendar.AddWorkingTime(at, TimeSpan.FromTicks(1)) - TimeSpan.FromTicks(1);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

internal sealed record EscalationRule(string? Priority, string? Category, string Policy)
{
    public bool Matches(string priority, string? category) =>
        (Priority is null || Priority == priority)
        && (Category is null || string.Equals(Category, category, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The checked configuration: schedules as rotations, policies, rules.</summary>
internal sealed class EscalationBook(
    IReadOnlyDictionary<string, Rotation> rotations,
    IReadOnlyDictionary<string, EscalationPolicy> policies,
    IReadOnlyList<EscalationRule> rules,
    string? defaultPolicy)
{
    public static readonly string[] Priorities = ["P1", "P2", "P3", "P4"];

    public IReadOnlyDictionary<string, Rotation> Rotations => rotations;

    public IReadOnlyDictionary<string, EscalationPolicy> Policies => policies;

    public IReadOnlyList<EscalationRule> Rules => rules;

    public string? DefaultPolicy => defaultPolicy;

    public EscalationPolicy? PolicyFor(string priority, string? category)
    {
        var name = rules.FirstOrDefault(r => r.Matches(priority, category))?.Policy ?? defaultPolicy;
        return name is not null && policies.TryGetValue(name, out var policy) ? policy : null;
    }

    public EscalationPolicy? Policy(string name) => policies.GetValueOrDefault(name);

    /// <summary><c>p1</c>, <c>P1</c> → <c>P1</c>; null for anything else.</summary>
    public static string? NormalizePriority(string? text)
    {
        var upper = text?.Trim().ToUpperInvariant();
        return upper is not null && Priorities.Contains(upper) ? upper : null;
    }
}
