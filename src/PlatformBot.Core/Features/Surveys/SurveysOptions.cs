using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Quartz;

namespace PlatformBot.Features.Surveys;

/// <summary>The <c>Surveys</c> section: definitions (here and in YAML files), the fatigue budget, quiet hours, post-resolution CSAT.</summary>
public sealed partial class SurveysOptions : IValidatableObject
{
    public const string SectionName = "Surveys";

    /// <summary>A folder of <c>*.yaml</c>/<c>*.yml</c> files, each a map of survey id to a definition of the same shape as <see cref="Definitions"/>.</summary>
    public string? Folder { get; set; }

    /// <summary>Surveys by id (lower-case letters, digits and '-').</summary>
    public Dictionary<string, SurveyDefinition> Definitions { get; set; } = new(StringComparer.Ordinal);

    public FatigueOptions Fatigue { get; set; } = new();

    public QuietHoursOptions QuietHours { get; set; } = new();

    public AfterResolutionOptions AfterResolution { get; set; } = new();

    /// <summary>
    /// The key of the hash that counts one answer per person in anonymous surveys (base64, at least 32 bytes). A secret:
    /// set it from the environment (<c>Surveys__AnonymityKey</c>) or user secrets. When unset, a random key is kept in
    /// <c>survey-anonymity.key</c> beside the database, never inside it.
    /// </summary>
    public string? AnonymityKey { get; set; }

    /// <summary>Problems met while reading <see cref="Folder"/>, reported by validation so they stop the start.</summary>
    internal List<string> LoadErrors { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in LoadErrors)
        {
            yield return new ValidationResult(error, [nameof(Folder)]);
        }

        foreach (var (id, definition) in Definitions)
        {
            foreach (var error in definition.Problems(id))
            {
                yield return new ValidationResult(error, [nameof(Definitions)]);
            }
        }

        if (Fatigue.MaxPrompts < 1)
        {
            yield return new ValidationResult("Surveys:Fatigue:MaxPrompts must be at least 1.", [nameof(Fatigue)]);
        }

        if (Fatigue.Window <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Surveys:Fatigue:Window must be a positive TimeSpan (30.00:00:00 for 30 days).", [nameof(Fatigue)]);
        }

        if (AfterResolution.Enabled)
        {
            if (AfterResolution.Delay < TimeSpan.Zero)
            {
                yield return new ValidationResult("Surveys:AfterResolution:Delay must not be negative.", [nameof(AfterResolution)]);
            }

            if (AfterResolution.OpenFor <= TimeSpan.Zero)
            {
                yield return new ValidationResult("Surveys:AfterResolution:OpenFor must be a positive TimeSpan.", [nameof(AfterResolution)]);
            }

            if (string.IsNullOrWhiteSpace(AfterResolution.Question))
            {
                yield return new ValidationResult("Surveys:AfterResolution:Question must not be empty.", [nameof(AfterResolution)]);
            }
        }

        if (AnonymityKey is { Length: > 0 } key && !AnonymityKeyIsValid(key))
        {
            yield return new ValidationResult("Surveys:AnonymityKey must be base64 of at least 32 bytes.", [nameof(AnonymityKey)]);
        }
    }

    internal static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private static bool AnonymityKeyIsValid(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var written) && written >= 32;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex IdPattern();
}

/// <summary>One survey: its questions, who is asked, when, and for how long.</summary>
public sealed class SurveyDefinition
{
    public const int MaxQuestions = 10;

    public string Title { get; set; } = "";

    public List<SurveyQuestion> Questions { get; set; } = [];

    public SurveyAudience Audience { get; set; } = new();

    /// <summary>A Quartz cron expression (<c>0 0 10 ? * TUE</c>: Tuesdays at 10:00); none for surveys sent by hand only.</summary>
    public string? Schedule { get; set; }

    /// <summary>The IANA zone the schedule is read in; <c>Team:TimeZone</c> when unset.</summary>
    public string? TimeZone { get; set; }

    public TimeSpan OpenFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>One reminder, this long after a person's prompt, to those who have not answered.</summary>
    public TimeSpan? ReminderAfter { get; set; }

    public bool Anonymous { get; set; }

    /// <summary>Anonymous results with fewer respondents than this show no figures.</summary>
    public int MinGroupSize { get; set; } = 5;

    /// <summary>Where results are posted when a run closes: <c>channel:conversation</c> (<c>slack:C0123</c>, <c>dev:platform</c>).</summary>
    public string? ResultsChannel { get; set; }

    /// <summary>Where the definition was read: its configuration key, or the YAML file and the id.</summary>
    internal string Source { get; set; } = "";

    internal string KeyOf(string id, string property) => $"{PrefixOf(id)}:{property}";

    private string PrefixOf(string id) => Source.Length > 0 ? Source : $"Surveys:Definitions:{id}";

    internal IEnumerable<string> Problems(string id)
    {
        if (!SurveysOptions.IsValidId(id))
        {
            yield return $"{PrefixOf(id)}: the survey id '{id}' must be 1–40 lower-case letters, digits or '-'.";
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            yield return $"{KeyOf(id, "Title")} must not be empty (survey '{id}').";
        }

        if (Questions.Count is 0 or > MaxQuestions)
        {
            yield return $"{KeyOf(id, "Questions")} must hold 1 to {MaxQuestions} questions (survey '{id}').";
        }

        for (var i = 0; i < Questions.Count; i++)
        {
            foreach (var problem in Questions[i].Problems())
            {
                yield return $"{KeyOf(id, $"Questions:{i}")}: {problem} (survey '{id}').";
            }
        }

        if (Schedule is { Length: > 0 } schedule && !CronExpression.TryParse(schedule, out _))
        {
            yield return $"{KeyOf(id, "Schedule")} '{schedule}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 10 ? * TUE') (survey '{id}').";
        }

        if (TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            yield return $"{KeyOf(id, "TimeZone")} '{zone}' is not a known IANA time zone (e.g. Europe/Berlin) (survey '{id}').";
        }

        if (OpenFor <= TimeSpan.Zero)
        {
            yield return $"{KeyOf(id, "OpenFor")} must be a positive TimeSpan (survey '{id}').";
        }

        if (ReminderAfter is { } reminder && (reminder <= TimeSpan.Zero || reminder >= OpenFor))
        {
            yield return $"{KeyOf(id, "ReminderAfter")} must be positive and shorter than OpenFor (survey '{id}').";
        }

        if (MinGroupSize < 1)
        {
            yield return $"{KeyOf(id, "MinGroupSize")} must be at least 1 (survey '{id}').";
        }

        if (ResultsChannel is { Length: > 0 } results && !AudienceKeys.TryParseConversation(results, out _))
        {
            yield return $"{KeyOf(id, "ResultsChannel")} '{results}' must be channel:conversation (e.g. slack:C0123, dev:platform) (survey '{id}').";
        }

        foreach (var problem in Audience.Problems())
        {
            yield return $"{KeyOf(id, "Audience")}: {problem} (survey '{id}').";
        }
    }
}

public sealed class SurveyQuestion
{
    public const int MaxOptions = 10;

    /// <summary><c>nps</c> (0–10), <c>csat</c> (1–5), <c>choice</c> (one of <see cref="Options"/>), <c>multi</c> (several), <c>text</c>.</summary>
    public string Kind { get; set; } = "";

    public string Text { get; set; } = "";

    public List<string> Options { get; set; } = [];

    internal IEnumerable<string> Problems()
    {
        if (!QuestionKinds.TryParse(Kind, out var kind))
        {
            yield return $"Kind '{Kind}' must be one of nps, csat, choice, multi, text";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Text) || Text.Length > 500)
        {
            yield return "Text must hold 1 to 500 characters";
        }

        if (kind is QuestionKind.Choice or QuestionKind.Multi)
        {
            if (Options.Count is < 2 or > MaxOptions || Options.Exists(o => string.IsNullOrWhiteSpace(o) || o.Length > 75))
            {
                yield return $"Options must hold 2 to {MaxOptions} non-empty options of at most 75 characters";
            }
        }
        else if (Options.Count > 0)
        {
            yield return $"Options are only for choice and multi questions";
        }
    }
}

/// <summary>Who is asked: named people, the members of conversations, people who filed tickets recently.</summary>
public sealed class SurveyAudience
{
    /// <summary>User keys: <c>dev:alice</c>, <c>slack:U0123</c>, <c>teams:29:1abc</c>.</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>Conversations whose members are asked: <c>slack:C0123</c>, <c>dev:support</c>.</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>Everyone who filed a ticket within this span before the run (needs the Tickets feature).</summary>
    public TimeSpan? RecentRequesters { get; set; }

    internal IEnumerable<string> Problems()
    {
        if (Users.Count == 0 && Channels.Count == 0 && RecentRequesters is null)
        {
            yield return "name at least one of Users, Channels or RecentRequesters";
        }

        foreach (var user in Users.Where(u => !AudienceKeys.TryParseUser(u, out _)))
        {
            yield return $"Users entry '{user}' must be a user key channel:id (e.g. slack:U0123, dev:alice)";
        }

        foreach (var channel in Channels.Where(c => !AudienceKeys.TryParseConversation(c, out _)))
        {
            yield return $"Channels entry '{channel}' must be channel:conversation (e.g. slack:C0123, dev:support)";
        }

        if (RecentRequesters is { } recent && recent <= TimeSpan.Zero)
        {
            yield return "RecentRequesters must be a positive TimeSpan (30.00:00:00 for 30 days)";
        }
    }
}

/// <summary>One budget per person shared by every survey: at most <see cref="MaxPrompts"/> prompts in <see cref="Window"/>.</summary>
public sealed class FatigueOptions
{
    public int MaxPrompts { get; set; } = 2;

    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>No prompts in these hours of a person's own day (and on weekends): they wait for the morning.</summary>
public sealed class QuietHoursOptions
{
    public bool Enabled { get; set; } = true;

    public TimeOnly Start { get; set; } = new(18, 0);

    public TimeOnly End { get; set; } = new(9, 0);

    /// <summary>Saturdays and Sundays are quiet all day.</summary>
    public bool Weekends { get; set; } = true;
}

/// <summary>A one-question CSAT sent to a ticket's requester some time after it was resolved, once per ticket.</summary>
public sealed class AfterResolutionOptions
{
    public bool Enabled { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromHours(1);

    public string Question { get; set; } = "How satisfied are you with how your request was handled?";

    public TimeSpan OpenFor { get; set; } = TimeSpan.FromDays(3);
}

internal enum QuestionKind
{
    Nps,
    Csat,
    Choice,
    Multi,
    Text,
}

internal static class QuestionKinds
{
    public static bool TryParse(string? text, out QuestionKind kind)
    {
        kind = default;
        return text is not null && !int.TryParse(text, out _) && Enum.TryParse(text.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }
}
