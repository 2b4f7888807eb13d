using LiteDB;

namespace PlatformBot.Features.Surveys;

internal enum RunStatus
{
    Open,
    Closed,
}

internal enum RunKind
{
    Scheduled,
    Manual,
    AfterResolution,
}

/// <summary>
/// One sending of a survey: its questions as they were when it started (a later change of the definition leaves it
/// alone), its due times (indexed, woken by the sweep), and its figures.
/// </summary>
internal sealed class SurveyRun
{
    [BsonId]
    public string Id { get; set; } = "";

    public string SurveyId { get; set; } = "";

    /// <summary>1, 2, 3… per survey, for people to name a run (<c>/survey results dx-pulse 3</c>).</summary>
    public int Number { get; set; }

    public string Title { get; set; } = "";

    public RunKind Kind { get; set; }

    public List<StoredQuestion> Questions { get; set; } = [];

    public bool Anonymous { get; set; }

    public int MinGroupSize { get; set; } = 1;

    public string? ResultsChannel { get; set; }

    /// <summary>The survey's zone, for times shown in results.</summary>
    public string TimeZone { get; set; } = "UTC";

    public TimeSpan? ReminderAfter { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime ClosesAt { get; set; }

    public DateTime? ClosedAt { get; set; }

    public RunStatus Status { get; set; }

    public string? StartedBy { get; set; }

    /// <summary>For a post-resolution CSAT: the ticket it asks about.</summary>
    public string? TicketId { get; set; }

    public string? TicketSummary { get; set; }

    public int Recipients { get; set; }

    public int Prompted { get; set; }

    /// <summary>Prompts that waited for the end of the person's quiet hours.</summary>
    public int Deferred { get; set; }

    public int SkippedFatigue { get; set; }

    public int SkippedQuietHours { get; set; }

    public int Reminded { get; set; }

    /// <summary>What could not be resolved in the audience (a channel whose members cannot be listed).</summary>
    public List<string> AudienceNotes { get; set; } = [];

    /// <summary>The figures as they stood at close, for trends and insights.</summary>
    public RunSummary? Summary { get; set; }

    public string? ChartImageId { get; set; }

    public string? TrendImageId { get; set; }
}

internal sealed class StoredQuestion
{
    public QuestionKind Kind { get; set; }

    public string Text { get; set; } = "";

    public List<string> Options { get; set; } = [];
}

internal sealed class RunSummary
{
    public int Respondents { get; set; }

    public double ResponseRate { get; set; }

    /// <summary>The first NPS question's score; null when there is none or the group is too small to show.</summary>
    public double? Nps { get; set; }

    /// <summary>The first CSAT question's mean; null when there is none or the group is too small to show.</summary>
    public double? CsatMean { get; set; }
}

internal enum RecipientStatus
{
    /// <summary>Resolved from the audience; the prompt is not decided yet.</summary>
    Pending,
    Prompted,
    SkippedFatigue,
    SkippedQuietHours,
}

/// <summary>A person a run was addressed to. Says nothing about whether or how the person answered.</summary>
internal sealed class SurveyRecipient
{
    [BsonId]
    public string Id { get; set; } = "";

    public string RunId { get; set; } = "";

    public string UserKey { get; set; } = "";

    public string Channel { get; set; } = "";

    public string UserId { get; set; } = "";

    public string? DisplayName { get; set; }

    public string? TimeZone { get; set; }

    public RecipientStatus Status { get; set; }

    public DateTime? PromptAt { get; set; }

    /// <summary>When the reminder falls due; null when there is none (any more).</summary>
    public DateTime? RemindDueAt { get; set; }

    public static string IdOf(string runId, string userKey) => $"{runId}|{userKey}";
}

/// <summary>
/// One person's answers to one run. In an anonymous run the id holds a keyed hash instead of the person (replaced by a
/// random id at close), and there is no user, no name and no time.
/// </summary>
internal sealed class SurveyResponse
{
    [BsonId]
    public string Id { get; set; } = "";

    public string RunId { get; set; } = "";

    public string? UserKey { get; set; }

    public string? DisplayName { get; set; }

    public DateTime? UpdatedAt { get; set; }

    public List<QuestionAnswer> Answers { get; set; } = [];

    public static string IdOf(string runId, string respondent) => $"{runId}|{respondent}";
}

internal sealed class QuestionAnswer
{
    public int Question { get; set; }

    /// <summary>The score of an nps or csat question.</summary>
    public int? Number { get; set; }

    /// <summary>The option indexes chosen (one for choice).</summary>
    public List<int> Choices { get; set; } = [];

    public string? Text { get; set; }
}

/// <summary>A prompt counted against a person's fatigue budget (every survey shares it).</summary>
internal sealed class PromptLedgerEntry
{
    [BsonId]
    public string Id { get; set; } = "";

    public string UserKey { get; set; } = "";

    public DateTime At { get; set; }
}

/// <summary>A post-resolution CSAT waiting for its delay; removed when its run starts (the run's id is the ticket's).</summary>
internal sealed class AfterResolutionDue
{
    [BsonId]
    public string TicketId { get; set; } = "";

    public string Channel { get; set; } = "";

    public string UserId { get; set; } = "";

    public string? DisplayName { get; set; }

    public string? TimeZone { get; set; }

    public string? TicketTitle { get; set; }

    public DateTime DueAt { get; set; }
}
