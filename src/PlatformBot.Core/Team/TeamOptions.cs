using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Team;

public sealed class TeamOptions : IValidatableObject
{
    public const string SectionName = "Team";

    /// <summary>
    /// The platform team's agents. An entry is a user id in any channel (<c>alice</c>) or in one channel where ids
    /// differ (<c>slack:U024BE7LH</c>, <c>teams:29:1abc…</c>, <c>dev:alice</c>).
    /// </summary>
    public List<string> Agents { get; set; } = [];

    /// <summary>Admins may do everything agents may, and run <c>/platform</c> and survey commands.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>The organisation's IANA time zone, used for people whose own zone is unknown.</summary>
    public string TimeZone { get; set; } = "UTC";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Team:TimeZone '{TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).", [nameof(TimeZone)]);
        }

        foreach (var entry in Agents.Concat(Admins).Where(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Team:Agents and Team:Admins must not contain empty entries.", [nameof(Agents)]);
        }
    }
}
