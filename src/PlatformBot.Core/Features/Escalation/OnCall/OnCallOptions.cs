namespace PlatformBot.Features.Escalation.OnCall;

/// <summary><c>OnCall:Schedules:&lt;name&gt;</c>: who is on call when. Checked on start (see <see cref="EscalationConfiguration"/>).</summary>
public sealed class OnCallOptions
{
    public const string SectionName = "OnCall";

    public Dictionary<string, ScheduleOptions> Schedules { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ScheduleOptions
{
    /// <summary>The IANA zone the handoff time and start date are read in.</summary>
    public string? TimeZone { get; set; }

    /// <summary>User ids in turn order (<c>dana</c>, or <c>slack:U024BE7LH</c> for one channel).</summary>
    public List<string>? Members { get; set; }

    /// <summary><c>daily</c> or <c>weekly</c>.</summary>
    public string? Rotation { get; set; }

    /// <summary>Wall-clock time of the handoff, <c>HH:mm</c>.</summary>
    public string? HandoffTime { get; set; }

    /// <summary>Weekday of the handoff, for weekly rotations (<c>Monday</c>).</summary>
    public string? HandoffDay { get; set; }

    /// <summary>The date (<c>yyyy-MM-dd</c>) on which the first member's first shift starts, at the handoff time.</summary>
    public string? Start { get; set; }
}
