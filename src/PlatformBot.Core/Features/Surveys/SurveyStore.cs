using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.Surveys;

/// <summary>The surveys' records. Writes that belong together are grouped by the caller in one transaction.</summary>
internal interface ISurveyStore
{
    T InTransaction<T>(Func<T> work);

    SurveyRun? Run(string runId);

    SurveyRun? RunByNumber(string surveyId, int number);

    SurveyRun? LatestRun(string surveyId);

    IReadOnlyList<SurveyRun> OpenRuns(string? surveyId = null);

    /// <summary>Closed runs of a survey, newest first.</summary>
    IReadOnlyList<SurveyRun> ClosedRuns(string surveyId, int max);

    IReadOnlyList<SurveyRun> RunsDueToClose(DateTime nowUtc, int max);

    IReadOnlyList<SurveyRun> ClosedRunsSince(RunKind kind, DateTime sinceUtc);

    int NextNumber(string surveyId);

    bool InsertRun(SurveyRun run);

    void UpdateRun(SurveyRun run);

    void InsertRecipients(IEnumerable<SurveyRecipient> recipients);

    SurveyRecipient? Recipient(string runId, string userKey);

    IReadOnlyList<SurveyRecipient> PendingRecipients(int max);

    IReadOnlyList<SurveyRecipient> RemindersDue(DateTime nowUtc, int max);

    IReadOnlyList<SurveyRecipient> RemindersOf(string runId);

    void UpdateRecipient(SurveyRecipient recipient);

    SurveyResponse? Response(string responseId);

    IReadOnlyList<SurveyResponse> Responses(string runId);

    void SaveResponse(SurveyResponse response);

    void DeleteResponse(string responseId);

    int PromptsSince(string userKey, DateTime sinceUtc);

    void RecordPrompt(PromptLedgerEntry entry);

    bool AddAfterResolution(AfterResolutionDue due);

    IReadOnlyList<AfterResolutionDue> AfterResolutionsDue(DateTime nowUtc, int max);

    bool DeleteAfterResolution(string ticketId);
}

internal sealed class LiteDbSurveyStore : ISurveyStore
{
    private readonly PlatformDatabase _database;
    private readonly ILiteCollection<SurveyRun> _runs;
    private readonly ILiteCollection<SurveyRecipient> _recipients;
    private readonly ILiteCollection<SurveyResponse> _responses;
    private readonly ILiteCollection<PromptLedgerEntry> _ledger;
    private readonly ILiteCollection<AfterResolutionDue> _afterResolution;
    private readonly ILiteCollection<RunCounter> _counters;

    public LiteDbSurveyStore(PlatformDatabase database)
    {
        _database = database;
        _runs = database.Collection<SurveyRun>("survey_runs");
        _runs.EnsureIndex(r => r.SurveyId);
        _runs.EnsureIndex(r => r.Status);
        _runs.EnsureIndex(r => r.ClosesAt);
        _recipients = database.Collection<SurveyRecipient>("survey_recipients");
        _recipients.EnsureIndex(r => r.RunId);
        _recipients.EnsureIndex(r => r.Status);
        _recipients.EnsureIndex(r => r.RemindDueAt);
        _responses = database.Collection<SurveyResponse>("survey_responses");
        _responses.EnsureIndex(r => r.RunId);
        _ledger = database.Collection<PromptLedgerEntry>("survey_prompt_ledger");
        _ledger.EnsureIndex(e => e.UserKey);
        _afterResolution = database.Collection<AfterResolutionDue>("survey_after_resolution");
        _afterResolution.EnsureIndex(d => d.DueAt);
        _counters = database.Collection<RunCounter>("survey_run_numbers");
    }

    public T InTransaction<T>(Func<T> work) => _database.InTransaction(work);

    public SurveyRun? Run(string runId) => _runs.ById(runId);

    public SurveyRun? RunByNumber(string surveyId, int number) =>
        _runs.FindOne(r => r.SurveyId == surveyId && r.Number == number);

    public SurveyRun? LatestRun(string surveyId) =>
        _runs.Query().Where(r => r.SurveyId == surveyId).OrderByDescending(r => r.Number).FirstOrDefault();

    public IReadOnlyList<SurveyRun> OpenRuns(string? surveyId = null) =>
        [.. _runs.Find(r => r.Status == RunStatus.Open).Where(r => surveyId is null || r.SurveyId == surveyId).OrderBy(r => r.StartedAt)];

    public IReadOnlyList<SurveyRun> ClosedRuns(string surveyId, int max) =>
        [.. _runs.Find(r => r.SurveyId == surveyId).Where(r => r.Status == RunStatus.Closed).OrderByDescending(r => r.Number).Take(max)];

    // Open runs are few whatever the history (a post-resolution CSAT is a run per ticket), so the status index leads.
    public IReadOnlyList<SurveyRun> RunsDueToClose(DateTime nowUtc, int max) =>
        [.. _runs.Find(r => r.Status == RunStatus.Open).Where(r => r.ClosesAt.ToUniversalTime() <= nowUtc).Take(max)];

    public IReadOnlyList<SurveyRun> ClosedRunsSince(RunKind kind, DateTime sinceUtc) =>
        [.. _runs.Find(r => r.ClosesAt >= sinceUtc).Where(r => r.Kind == kind && r.Status == RunStatus.Closed)];

    public int NextNumber(string surveyId)
    {
        var counter = _counters.ById(surveyId) ?? new RunCounter { SurveyId = surveyId };
        counter.Last++;
        _counters.Upsert(counter);
        return counter.Last;
    }

    public bool InsertRun(SurveyRun run)
    {
        if (_runs.ById(run.Id) is not null)
        {
            return false;
        }

        _runs.Insert(run);
        return true;
    }

    public void UpdateRun(SurveyRun run) => _runs.Update(run);

    public void InsertRecipients(IEnumerable<SurveyRecipient> recipients) => _recipients.InsertBulk(recipients);

    public SurveyRecipient? Recipient(string runId, string userKey) => _recipients.ById(SurveyRecipient.IdOf(runId, userKey));

    public IReadOnlyList<SurveyRecipient> PendingRecipients(int max) =>
        [.. _recipients.Query().Where(r => r.Status == RecipientStatus.Pending).Limit(max).ToEnumerable()];

    // A range from the smallest date walks only the recipients with a reminder due: nulls sort before dates in the index.
    public IReadOnlyList<SurveyRecipient> RemindersDue(DateTime nowUtc, int max) =>
        [.. _recipients.Find(Filter.Between(nameof(SurveyRecipient.RemindDueAt), new BsonValue(DateTime.MinValue), new BsonValue(nowUtc)), limit: max)];

    public IReadOnlyList<SurveyRecipient> RemindersOf(string runId) =>
        [.. _recipients.Find(r => r.RunId == runId).Where(r => r.RemindDueAt != null)];

    public void UpdateRecipient(SurveyRecipient recipient) => _recipients.Update(recipient);

    public SurveyResponse? Response(string responseId) => _responses.ById(responseId);

    public IReadOnlyList<SurveyResponse> Responses(string runId) => [.. _responses.Find(r => r.RunId == runId)];

    public void SaveResponse(SurveyResponse response) => _responses.Upsert(response);

    public void DeleteResponse(string responseId) => _responses.Delete(responseId);

    public int PromptsSince(string userKey, DateTime sinceUtc) => _ledger.Find(e => e.UserKey == userKey).Count(e => e.At.ToUniversalTime() > sinceUtc);

    public void RecordPrompt(PromptLedgerEntry entry) => _ledger.Upsert(entry);

    public bool AddAfterResolution(AfterResolutionDue due)
    {
        if (_afterResolution.ById(due.TicketId) is not null)
        {
            return false;
        }

        _afterResolution.Insert(due);
        return true;
    }

    public IReadOnlyList<AfterResolutionDue> AfterResolutionsDue(DateTime nowUtc, int max) =>
        [.. _afterResolution.Find(d => d.DueAt <= nowUtc, limit: max)];

    public bool DeleteAfterResolution(string ticketId) => _afterResolution.Delete(ticketId);

    internal sealed class RunCounter
    {
        [BsonId]
        public string SurveyId { get; set; } = "";

        public int Last { get; set; }
    }
}
