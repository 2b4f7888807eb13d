using PlatformBot.Conversations;
using PlatformBot.Features.Sla;

namespace PlatformBot.Features.Tickets;

public enum TicketState
{
    New,
    Acknowledged,
    InProgress,
    WaitingOnRequester,
    Resolved,
    Closed,
}

public enum TicketPriority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

/// <summary>What can be done to a ticket; the state machine and the permission matrix are tables of these.</summary>
internal enum TicketVerb
{
    Acknowledge,
    Assign,
    Wait,
    Resolve,
    Reopen,
    Close,
    Comment,
    Priority,
}

/// <summary>A person as stored with a ticket.</summary>
internal sealed class TicketPerson
{
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public string? TimeZone { get; set; }

    public static TicketPerson Of(UserRef user) => new() { Key = user.Key, Name = user.Name, TimeZone = user.TimeZone };

    public UserRef ToUserRef()
    {
        var parsed = UserRef.Parse(Key);
        return parsed with { DisplayName = Name == parsed.Id ? null : Name, TimeZone = TimeZone };
    }

    public bool Is(UserRef user) => Key == user.Key;
}

internal sealed class TicketComment
{
    public DateTimeOffset At { get; set; }

    public TicketPerson Author { get; set; } = new();

    public string Text { get; set; } = "";

    public bool ByAgent { get; set; }

    /// <summary>Written by a feature (the bot), not a person: never counts as a response.</summary>
    public bool ByBot { get; set; }
}

internal sealed class TicketAuditEntry
{
    public DateTimeOffset At { get; set; }

    public string ActorKey { get; set; } = "";

    public string ActorName { get; set; } = "";

    /// <summary>The channel the change came from (dev, slack, teams; system for the SLA sweep).</summary>
    public string Channel { get; set; } = "";

    public string Action { get; set; } = "";

    public string? Detail { get; set; }
}

internal sealed class StoredAddress
{
    public string Channel { get; set; } = "";

    public string ConversationId { get; set; } = "";

    public string? ThreadId { get; set; }

    public bool IsDirect { get; set; }

    public static StoredAddress Of(ConversationAddress address) =>
        new() { Channel = address.Channel, ConversationId = address.ConversationId, ThreadId = address.ThreadId, IsDirect = address.IsDirect };

    public ConversationAddress ToAddress() => new(Channel, ConversationId, ThreadId, IsDirect);
}

/// <summary>
/// A support ticket as stored: its fields, its SLA clocks, comments and audit trail, and the state machine
/// New → Acknowledged → InProgress ⇄ WaitingOnRequester → Resolved → Closed (reopen from Resolved or Closed).
/// The methods change the document; permissions and persistence are the caller's.
/// </summary>
internal sealed class Ticket
{
    public const string CardKeyPrefix = "ticket:";

    /// <summary>Stored in place of "no alert pending" so that range queries on the index never meet nulls.</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.MaxValue;

    private static readonly Dictionary<TicketState, TicketVerb[]> Allowed = new()
    {
        [TicketState.New] = [TicketVerb.Acknowledge, TicketVerb.Assign, TicketVerb.Wait, TicketVerb.Resolve, TicketVerb.Close, TicketVerb.Comment, TicketVerb.Priority],
        [TicketState.Acknowledged] = [TicketVerb.Assign, TicketVerb.Wait, TicketVerb.Resolve, TicketVerb.Close, TicketVerb.Comment, TicketVerb.Priority],
        [TicketState.InProgress] = [TicketVerb.Assign, TicketVerb.Wait, TicketVerb.Resolve, TicketVerb.Close, TicketVerb.Comment, TicketVerb.Priority],
        [TicketState.WaitingOnRequester] = [TicketVerb.Assign, TicketVerb.Resolve, TicketVerb.Close, TicketVerb.Comment, TicketVerb.Priority],
        [TicketState.Resolved] = [TicketVerb.Reopen, TicketVerb.Close, TicketVerb.Comment],
        [TicketState.Closed] = [TicketVerb.Reopen],
    };

    public string Id { get; set; } = "";

    public int Number { get; set; }

    public string Summary { get; set; } = "";

    public string? Description { get; set; }

    public string? Category { get; set; }

    public string? Service { get; set; }

    public TicketPriority Priority { get; set; } = TicketPriority.P3;

    public TicketState State { get; set; }

    public TicketPerson Requester { get; set; } = new();

    /// <summary>Who filed it (the requester, or an agent or a feature on his behalf).</summary>
    public TicketPerson FiledBy { get; set; } = new();

    public bool FiledByAgent { get; set; }

    /// <summary>Public replies of the filing agent; on a ticket an agent filed, the filing is his first public comment.</summary>
    public int FilerReplies { get; set; }

    public TicketPerson? Assignee { get; set; }

    public StoredAddress Source { get; set; } = new();

    public string? IdempotencyKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FirstRespondedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public int Reopened { get; set; }

    public List<SlaTimer> Timers { get; set; } = [];

    public List<TicketComment> Comments { get; set; } = [];

    public List<TicketAuditEntry> Audit { get; set; } = [];

    /// <summary>The earliest pending warning or breach of any running clock (<see cref="Never"/> when none): the sweep's index.</summary>
    public DateTimeOffset SweepAt { get; set; } = Never;

    /// <summary>The earliest due time of a running clock that has not breached yet (<see cref="Never"/> when none).</summary>
    public DateTimeOffset BreachAt { get; set; } = Never;

    /// <summary>Open with a running clock past its target: what <c>/ticket list breaching</c> shows first (indexed).</summary>
    public bool Overdue { get; set; }

    public bool IsOpen => State is not (TicketState.Resolved or TicketState.Closed);

    /// <summary>
    /// Closed before any agent answered: the first-response clock stopped without a response (the first response is the
    /// first public agent comment, research/sla-semantics.md). It counts as neither met nor, unless it had already run
    /// past its target, breached; a reopen runs it again.
    /// </summary>
    public bool FirstResponseCancelled => FirstRespondedAt is null && Timer(SlaMetric.FirstResponse) is { Status: SlaTimerStatus.Stopped };

    public string CardKey => CardKeyPrefix + Id;

    public static string CardKeyOf(string id) => CardKeyPrefix + id;

    public static IReadOnlyList<TicketVerb> AllowedIn(TicketState state) => Allowed[state];

    public bool Allows(TicketVerb verb) => Allowed[State].Contains(verb);

    public SlaTimer? Timer(SlaMetric metric) => Timers.LastOrDefault(t => t.Metric == metric);

    public void Record(UserRef actor, string channel, string action, string? detail, DateTimeOffset at)
    {
        Audit.Add(new TicketAuditEntry { At = at, ActorKey = actor.Key, ActorName = actor.Name, Channel = channel, Action = action, Detail = detail });
        UpdatedAt = at;
    }

    /// <summary>Starts the first response and resolution clocks on the priority's policy.</summary>
    public void StartClocks(DateTimeOffset at, SlaSettings sla)
    {
        var policy = sla.Policies[Priority.ToString()];
        var calendar = sla.Calendar(policy.Calendar);
        Timers.Add(SlaTimer.Start(SlaMetric.FirstResponse, 1, policy.FirstResponse, calendar, at, sla.WarnAt));
        Timers.Add(SlaTimer.Start(SlaMetric.Resolution, 1, policy.Resolution, calendar, at, sla.WarnAt));
        RefreshIndexes();
    }

    /// <summary>
    /// An agent acknowledged the ticket: a New one becomes Acknowledged; in any state it is the first response, if none
    /// was given yet (an agent may take a ticket before he acknowledges its page).
    /// </summary>
    public void Acknowledge(UserRef agent, DateTimeOffset at, SlaSettings sla)
    {
        if (State == TicketState.New)
        {
            State = TicketState.Acknowledged;
        }

        Assignee ??= TicketPerson.Of(agent);
        AgentResponded(agent, at, sla, isPublicReply: false);
    }

    public void Assign(UserRef assignee, DateTimeOffset at)
    {
        Assignee = TicketPerson.Of(assignee);
        if (State is TicketState.New or TicketState.Acknowledged)
        {
            State = TicketState.InProgress;
        }
    }

    /// <summary>An agent asked the requester something: the resolution clock pauses until he answers.</summary>
    public void WaitOnRequester(UserRef agent, DateTimeOffset at, SlaSettings sla)
    {
        AgentResponded(agent, at, sla, isPublicReply: true);
        State = TicketState.WaitingOnRequester;
        Pause(SlaMetric.Resolution, at, sla);
    }

    public void Resolve(UserRef agent, DateTimeOffset at, SlaSettings sla)
    {
        AgentResponded(agent, at, sla, isPublicReply: true);
        State = TicketState.Resolved;
        ResolvedAt = at;
        StopAll(at, sla);
    }

    /// <summary>Stops every clock; an unanswered first response is cancelled (<see cref="FirstResponseCancelled"/>), not met.</summary>
    public void Close(DateTimeOffset at, SlaSettings sla)
    {
        State = TicketState.Closed;
        ClosedAt = at;
        StopAll(at, sla);
    }

    /// <summary>
    /// Back to work: the resolution clock carries on where it stopped (total resolution time), and so does the first
    /// response when nobody had answered before the ticket was closed.
    /// </summary>
    public void Reopen(DateTimeOffset at, SlaSettings sla)
    {
        if (FirstResponseCancelled && Timer(SlaMetric.FirstResponse) is { } first)
        {
            first.Resume(at, sla.Calendar(first.Calendar), sla.WarnAt);
        }

        State = TicketState.InProgress;
        ResolvedAt = null;
        ClosedAt = null;
        Reopened++;
        if (Timer(SlaMetric.Resolution) is { } resolution)
        {
            resolution.Resume(at, sla.Calendar(resolution.Calendar), sla.WarnAt);
        }

        RefreshIndexes();
    }

    /// <summary>Adds a comment. Returns true when it resumed a clock paused while waiting for the requester.</summary>
    public bool AddComment(UserRef author, string text, bool byAgent, bool byBot, DateTimeOffset at, SlaSettings sla)
    {
        Comments.Add(new TicketComment { At = at, Author = TicketPerson.Of(author), Text = text, ByAgent = byAgent, ByBot = byBot });
        if (byBot)
        {
            UpdatedAt = at;
            return false;
        }

        // An agent who filed his own ticket is its requester too: his comment answers a wait for the requester, and it is
        // also his public reply (his second public comment counts as the first response), not a requester's question.
        var filingAgent = byAgent && FiledByAgent && FiledBy.Is(author);
        if (Requester.Is(author) && !filingAgent)
        {
            return RequesterReplied(at, sla);
        }

        var resumed = Requester.Is(author) && ResumeFromWaiting(at, sla);
        if (byAgent)
        {
            AgentResponded(author, at, sla, isPublicReply: true);
        }

        RefreshIndexes();
        return resumed;
    }

    public void ChangePriority(TicketPriority priority, DateTimeOffset at, SlaSettings sla)
    {
        Priority = priority;
        var policy = sla.Policies[priority.ToString()];
        var calendar = sla.Calendar(policy.Calendar);
        foreach (var timer in Timers.Where(t => t.Status != SlaTimerStatus.Stopped))
        {
            timer.Retarget(policy.TargetFor(timer.Metric), calendar, at, sla.Calendar(timer.Calendar), sla.WarnAt);
        }

        RefreshIndexes();
    }

    /// <summary>Keeps <see cref="SweepAt"/> and <see cref="BreachAt"/> in step with the clocks.</summary>
    public void RefreshIndexes()
    {
        SweepAt = Timers.Where(t => t.NextAlertAt is not null).Select(t => t.NextAlertAt!.Value).DefaultIfEmpty(Never).Min();
        BreachAt = Timers.Where(t => t.IsRunning && !t.Breached && t.DueAt is not null).Select(t => t.DueAt!.Value).DefaultIfEmpty(Never).Min();
        Overdue = IsOpen && Timers.Any(t => t.IsRunning && t.Breached);
    }

    private bool RequesterReplied(DateTimeOffset at, SlaSettings sla)
    {
        var resumed = ResumeFromWaiting(at, sla);

        // Next response runs from the oldest unanswered requester comment, once the first response has been given.
        if (IsOpen && FirstRespondedAt is not null && Timer(SlaMetric.NextResponse) is not { IsRunning: true })
        {
            var cycle = (Timer(SlaMetric.NextResponse)?.Cycle ?? 0) + 1;
            var policy = sla.Policies[Priority.ToString()];
            Timers.Add(SlaTimer.Start(SlaMetric.NextResponse, cycle, policy.NextResponse, sla.Calendar(policy.Calendar), at, sla.WarnAt));
        }

        RefreshIndexes();
        return resumed;
    }

    /// <summary>The requester answered while the ticket waited for him: back to work, and the resolution clock runs again.</summary>
    private bool ResumeFromWaiting(DateTimeOffset at, SlaSettings sla)
    {
        if (State != TicketState.WaitingOnRequester)
        {
            return false;
        }

        State = TicketState.InProgress;
        if (Timer(SlaMetric.Resolution) is { Status: SlaTimerStatus.Paused } resolution)
        {
            resolution.Resume(at, sla.Calendar(resolution.Calendar), sla.WarnAt);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A human agent answered. On a ticket an agent filed, the filing was his first public comment, so his own
    /// acknowledgement does not count and his next public reply (his second public comment) does (Zendesk's rule).
    /// </summary>
    private void AgentResponded(UserRef agent, DateTimeOffset at, SlaSettings sla, bool isPublicReply)
    {
        var byFiler = FiledByAgent && FiledBy.Is(agent);
        if (byFiler && !isPublicReply)
        {
            return;
        }

        if (byFiler)
        {
            FilerReplies++;
        }

        if (FirstRespondedAt is null)
        {
            FirstRespondedAt = at;
            Stop(SlaMetric.FirstResponse, at, sla);
        }

        if (isPublicReply)
        {
            Stop(SlaMetric.NextResponse, at, sla);
        }

        RefreshIndexes();
    }

    private void Pause(SlaMetric metric, DateTimeOffset at, SlaSettings sla)
    {
        if (Timer(metric) is { } timer)
        {
            timer.Pause(at, sla.Calendar(timer.Calendar));
        }

        RefreshIndexes();
    }

    private void Stop(SlaMetric metric, DateTimeOffset at, SlaSettings sla)
    {
        if (Timer(metric) is { } timer)
        {
            timer.Stop(at, sla.Calendar(timer.Calendar));
        }
    }

    private void StopAll(DateTimeOffset at, SlaSettings sla)
    {
        foreach (var timer in Timers)
        {
            timer.Stop(at, sla.Calendar(timer.Calendar));
        }

        RefreshIndexes();
    }
}
