using Microsoft.Extensions.Options;

namespace PlatformBot.Features.OfficeHours;

public sealed class OfficeHoursOptions
{
    public const string SectionName = "OfficeHours";

    public Dictionary<string, OfficeHoursSessionOptions> Sessions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one topic is expected to take, for "your topic comes up around …".</summary>
    public TimeSpan SlotLength { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When the announcement goes out before a session (besides one at its start).</summary>
    public List<TimeSpan> LeadTimes { get; set; } = [TimeSpan.FromDays(1), TimeSpan.FromMinutes(10)];

    /// <summary>Where knowledge-base drafts are written: the first <c>Knowledge:Folders</c> entry's <c>drafts/</c>.</summary>
    public string DraftsFolder { get; set; } = Path.Combine("kb", "drafts");

    /// <summary>The bot's public address, for "add to calendar" links; without it (the default) there are none, rather than
    /// links to a machine only the bot can reach.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The calendar link for a session (or all of them), or null when <see cref="PublicBaseUrl"/> is not set.</summary>
    internal string? CalendarUrl(string? session = null) =>
        string.IsNullOrEmpty(PublicBaseUrl)
            ? null
            : $"{PublicBaseUrl.TrimEnd('/')}/officehours.ics" + (session is null ? string.Empty : $"?session={Uri.EscapeDataString(session)}");
}

public sealed class OfficeHoursSessionOptions
{
    public string Title { get; set; } = "";

    /// <summary>User ids or channel-qualified ids (<c>dev:dana</c>, <c>slack:U123</c>) of the hosts.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Where announcements go: <c>channel:conversation</c> (<c>dev:office-hours</c>, <c>slack:C0123</c>).</summary>
    public string Channel { get; set; } = "";

    /// <summary>An iCalendar RRULE, e.g. <c>FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=15</c> (every other Thursday at 15:00).</summary>
    public string Schedule { get; set; } = "";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>The date of the first session; the series (and an INTERVAL's rhythm) counts from it.</summary>
    public DateOnly Start { get; set; } = new(2026, 1, 1);

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The video call.</summary>
    public string Link { get; set; } = "";
}

/// <summary>An invalid session stops the start with a message naming its key.</summary>
internal sealed class OfficeHoursOptionsValidator : IValidateOptions<OfficeHoursOptions>
{
    public ValidateOptionsResult Validate(string? name, OfficeHoursOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, session) in options.Sessions)
        {
            var prefix = $"OfficeHours:Sessions:{key}";
            if (string.IsNullOrWhiteSpace(session.Title))
            {
                failures.Add($"{prefix}:Title must be set.");
            }

            if (session.Hosts.Count == 0)
            {
                failures.Add($"{prefix}:Hosts must name at least one host.");
            }

            if (!ChannelTarget.TryParse(session.Channel, out _))
            {
                failures.Add($"{prefix}:Channel '{session.Channel}' must look like channel:conversation (dev:office-hours, slack:C0123).");
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(session.TimeZone, out _))
            {
                failures.Add($"{prefix}:TimeZone '{session.TimeZone}' is not a known IANA time zone.");
            }
            else if (OfficeHoursSchedule.Validate(session) is { } error)
            {
                failures.Add($"{prefix}:Schedule '{session.Schedule}' is not a usable iCalendar RRULE: {error}");
            }

            if (session.Duration <= TimeSpan.Zero || session.Duration > TimeSpan.FromHours(12))
            {
                failures.Add($"{prefix}:Duration must be between 00:01:00 and 12:00:00.");
            }

            if (!string.IsNullOrEmpty(session.Link) && !Uri.TryCreate(session.Link, UriKind.Absolute, out _))
            {
                failures.Add($"{prefix}:Link must be an absolute URL.");
            }
        }

        if (options.SlotLength <= TimeSpan.Zero)
        {
            failures.Add("OfficeHours:SlotLength must be positive.");
        }

        if (options.LeadTimes.Any(l => l <= TimeSpan.Zero || l > TimeSpan.FromDays(14)))
        {
            failures.Add("OfficeHours:LeadTimes must be between 00:00:01 and 14.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>A conversation named in configuration as <c>channel:conversation</c>.</summary>
internal static class ChannelTarget
{
    public static bool TryParse(string value, out Conversations.ConversationAddress address)
    {
        address = null!;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        address = new Conversations.ConversationAddress(value[..colon], value[(colon + 1)..]);
        return true;
    }
}
