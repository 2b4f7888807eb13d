using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;
using PlatformBot.Storage;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Escalation's view of the Tickets feature. Acknowledgements and audit lines are written to a small queue in the same
/// transaction as the chain's change, and handed to <see cref="ITickets"/> afterwards (its writes are its own
/// transactions), so a crash between the two delays them instead of losing them; an acknowledgement keeps its time.
/// A row that fails is kept and tried again at later flushes (after every escalation event, click and sweep) for
/// <see cref="KeepFailing"/> from its first failure: counted in time, not in flushes, which can come many a second.
/// </summary>
internal sealed partial class TicketsBridge : IEscalationTickets, IDisposable
{
    /// <summary>Past a passing storage fault, short of logging forever.</summary>
    public static readonly TimeSpan KeepFailing = TimeSpan.FromMinutes(30);

    private readonly ITickets _tickets;
    private readonly ILiteCollection<TicketFollowUp> _queue;
    private readonly TimeZoneInfo _teamZone;
    private readonly ILogger<TicketsBridge> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public TicketsBridge(ITickets tickets, PlatformDatabase database, IOptions<TeamOptions> team, TimeProvider time, ILogger<TicketsBridge> logger)
    {
        _tickets = tickets;
        _time = time;
        _queue = database.Collection<TicketFollowUp>("escalation_ticket_followups");
        _teamZone = ZonedTime.TryFindZone(team.Value.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
        _logger = logger;
    }

    public TicketFacts? Find(string ticketId) => _tickets.Find(ticketId) is { } info ? Facts(info) : null;

    public string? NormalizeId(string typed) => _tickets.NormalizeId(typed);

    public void RecordAcknowledgement(string ticketId, UserRef by, DateTimeOffset at) =>
        _queue.Insert(new TicketFollowUp { TicketId = ticketId, UserKey = by.Key, At = at.UtcDateTime });

    public void Audit(string ticketId, UserRef? by, string text, DateTimeOffset at) =>
        _queue.Insert(new TicketFollowUp { TicketId = ticketId, Text = text, At = at.UtcDateTime }); // the texts name who did it

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            foreach (var row in _queue.Query().OrderBy(r => r.Id).Limit(200).ToList())
            {
                try
                {
                    if (row.UserKey is { } key)
                    {
                        var agent = UserRef.Parse(key);
                        await _tickets.AcknowledgeAsync(row.TicketId, agent, Stored.Read(row.At), new ConversationAddress(agent.Channel, agent.Id, IsDirect: true), cancellationToken);
                    }
                    else
                    {
                        await _tickets.AddSystemCommentAsync(row.TicketId, "Escalation: " + row.Text, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Kept for the next flush; the rows after it go on meanwhile, so one that keeps failing blocks nothing.
                    row.Attempts++;
                    var now = _time.GetUtcNow().UtcDateTime;
                    row.FirstFailedAt ??= now;
                    if (now - row.FirstFailedAt.Value.ToUniversalTime() < KeepFailing)
                    {
                        LogFollowUpFailed(ex, row.TicketId, row.Attempts);
                        _queue.Update(row);
                    }
                    else
                    {
                        LogFollowUpDropped(ex, row.TicketId, row.Attempts);
                        _queue.Delete(row.Id);
                    }

                    continue;
                }

                _queue.Delete(row.Id);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private TicketFacts Facts(TicketInfo info) => new(
        info.Id,
        info.Summary,
        info.Priority.ToString(),
        info.Category,
        SlaState(info),
        info.Requester,
        info.State is not (TicketState.Resolved or TicketState.Closed));

    private string SlaState(TicketInfo info)
    {
        if (info.Breached)
        {
            return "breached";
        }

        var parts = new List<string>();
        if (info.FirstResponseDue is { } first && info.State == TicketState.New)
        {
            parts.Add($"first response due {TimeWords.AtWithZone(first, _teamZone)}");
        }

        if (info.ResolutionDue is { } resolution)
        {
            parts.Add($"resolution due {TimeWords.AtWithZone(resolution, _teamZone)}");
        }

        return parts.Count == 0 ? "no clock running" : string.Join("; ", parts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An escalation note for ticket {Ticket} could not be written to the ticket (attempt {Attempt}); it is tried again at the next flush")]
    private partial void LogFollowUpFailed(Exception ex, string ticket, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "An escalation note for ticket {Ticket} could not be written to the ticket after {Attempts} attempts; it is dropped")]
    private partial void LogFollowUpDropped(Exception ex, string ticket, int attempts);

    internal sealed class TicketFollowUp
    {
        [BsonId(true)]
        public long Id { get; set; }

        public string TicketId { get; set; } = "";

        /// <summary>An acknowledgement by this agent (user key), or, when null, the audit line <see cref="Text"/>.</summary>
        public string? UserKey { get; set; }

        public string Text { get; set; } = "";

        public DateTime At { get; set; }

        /// <summary>Flushes that failed on it so far.</summary>
        public int Attempts { get; set; }

        /// <summary>When a flush first failed on it (UTC); it is given up <see cref="KeepFailing"/> after that.</summary>
        public DateTime? FirstFailedAt { get; set; }
    }
}
