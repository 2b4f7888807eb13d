namespace PlatformBot.Features.Escalation;

/// <summary><c>Escalation</c>: policies, the rules that pick one, and how pings go out. Checked on start.</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    public Dictionary<string, PolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first rule whose priority and category match picks the policy.</summary>
    public List<RuleOptions>? Rules { get; set; }

    /// <summary>The policy when no rule matches; none means such tickets are not escalated.</summary>
    public string? DefaultPolicy { get; set; }

    /// <summary>
    /// The business calendar (a name under <c>Sla:Calendars</c>, or <c>24x7</c>) of policies that name none; when this is
    /// not set either, a ticket's own SLA calendar (<c>Sla:Policies:&lt;priority&gt;:Calendar</c>).
    /// </summary>
    public string? Calendar { get; set; }

    /// <summary>
    /// The channel that pages people and channels named without one (<c>dana</c> rather than <c>slack:U024BE7LH</c>). Default:
    /// the first configured of slack, dev, teams.
    /// </summary>
    public string? PageChannel { get; set; }

    /// <summary>How often the sweep looks for chain steps that came due.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a requester may escalate the same ticket.</summary>
    public TimeSpan RequesterCooldown { get; set; } = TimeSpan.FromHours(1);
}

public sealed class PolicyOptions
{
    public List<LevelOptions>? Levels { get; set; }

    /// <summary>How many more times the whole chain runs when nobody acknowledges.</summary>
    public int Repeat { get; set; }

    /// <summary><c>wait</c> (P3/P4 wait for the calendar to open) or <c>page</c> (page at any hour).</summary>
    public string? AfterHours { get; set; }

    /// <summary>The calendar P3/P4 wait for (a name under <c>Sla:Calendars</c>, or <c>24x7</c>).</summary>
    public string? Calendar { get; set; }
}

public sealed class LevelOptions
{
    /// <summary><c>schedule:&lt;name&gt;</c>, <c>user:&lt;id&gt;</c> or <c>channel:&lt;id&gt;</c>.</summary>
    public List<string>? Targets { get; set; }

    /// <summary>How long to wait for an acknowledgement before the next level.</summary>
    public TimeSpan After { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class RuleOptions
{
    /// <summary><c>P1</c>–<c>P4</c>; empty matches every priority.</summary>
    public string? Priority { get; set; }

    /// <summary>A ticket category; empty matches every category.</summary>
    public string? Category { get; set; }

    public string? Policy { get; set; }
}
