namespace PlatformBot.Features.Sla;

/// <summary>The independent clocks of a ticket (../shared/research/sla-semantics.md).</summary>
public enum SlaMetric
{
    /// <summary>From filing to the first public reply or acknowledgement of a human agent.</summary>
    FirstResponse,

    /// <summary>From the requester's oldest unanswered comment to the next agent reply.</summary>
    NextResponse,

    /// <summary>From filing to resolution; paused while waiting on the requester; a reopen resumes it.</summary>
    Resolution,
}

public enum SlaTimerStatus
{
    Running,
    Paused,
    Stopped,
}

/// <summary>
/// One target's clock on one ticket: it counts working time on its calendar while running, and knows when each warning
/// fraction and the breach come due. A document stored with the ticket; its methods are pure (time and calendar come in).
/// </summary>
public sealed class SlaTimer
{
    public SlaMetric Metric { get; set; }

    /// <summary>1 for first response and resolution; the n-th round for next response.</summary>
    public int Cycle { get; set; } = 1;

    public TimeSpan Target { get; set; }

    public string Calendar { get; set; } = BusinessCalendar.AlwaysOpenName;

    public SlaTimerStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the current running stretch began (null unless running).</summary>
    public DateTimeOffset? RunningSince { get; set; }

    /// <summary>Working time counted in the stretches before <see cref="RunningSince"/>.</summary>
    public TimeSpan ElapsedBefore { get; set; }

    public DateTimeOffset? PausedAt { get; set; }

    /// <summary>Wall-clock time spent paused, for explaining the clock.</summary>
    public TimeSpan PausedFor { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>The fractions already raised or passed (1 is the breach); each is raised once.</summary>
    public List<double> Raised { get; set; } = [];

    public bool Breached { get; set; }

    /// <summary>When the target runs out, while running.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When the next warning or the breach comes due, while running.</summary>
    public DateTimeOffset? NextAlertAt { get; set; }

    public bool IsRunning => Status == SlaTimerStatus.Running;

    public static SlaTimer Start(SlaMetric metric, int cycle, TimeSpan target, BusinessCalendar calendar, DateTimeOffset at, IReadOnlyList<double> warnAt)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var timer = new SlaTimer
        {
            Metric = metric,
            Cycle = cycle,
            Target = target,
            Calendar = calendar.Name,
            Status = SlaTimerStatus.Running,
            StartedAt = at,
            RunningSince = at,
        };
        timer.Recompute(calendar, warnAt);
        return timer;
    }

    /// <summary>Working time counted up to <paramref name="now"/>.</summary>
    public TimeSpan Elapsed(DateTimeOffset now, BusinessCalendar calendar) =>
        RunningSince is { } since ? ElapsedBefore + calendar.WorkingTimeBetween(since, now) : ElapsedBefore;

    public TimeSpan Remaining(DateTimeOffset now, BusinessCalendar calendar) => Target - Elapsed(now, calendar);

    public void Pause(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (Status != SlaTimerStatus.Running)
        {
            return;
        }

        ElapsedBefore = Elapsed(at, calendar);
        RunningSince = null;
        PausedAt = at;
        Status = SlaTimerStatus.Paused;
        DueAt = null;
        NextAlertAt = null;
    }

    /// <summary>Runs again after a pause, or after a stop (a reopened ticket's resolution clock carries on where it stopped).</summary>
    public void Resume(DateTimeOffset at, BusinessCalendar calendar, IReadOnlyList<double> warnAt)
    {
        if (Status == SlaTimerStatus.Running)
        {
            return;
        }

        if (PausedAt is { } pausedAt && Status == SlaTimerStatus.Paused)
        {
            PausedFor += at - pausedAt;
        }

        PausedAt = null;
        StoppedAt = null;
        Status = SlaTimerStatus.Running;
        RunningSince = at;
        Recompute(calendar, warnAt);
    }

    /// <summary>Stops the clock: the target is met, or breached when more working time than the target has passed.</summary>
    public void Stop(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (Status == SlaTimerStatus.Stopped)
        {
            return;
        }

        ElapsedBefore = Elapsed(at, calendar);
        RunningSince = null;
        PausedAt = null;
        StoppedAt = at;
        Status = SlaTimerStatus.Stopped;
        Breached |= ElapsedBefore > Target;
        DueAt = null;
        NextAlertAt = null;
    }

    /// <summary>A new target (the priority changed): time counted so far stays, the rest counts on the new calendar.</summary>
    public void Retarget(TimeSpan target, BusinessCalendar newCalendar, DateTimeOffset at, BusinessCalendar oldCalendar, IReadOnlyList<double> warnAt)
    {
        ArgumentNullException.ThrowIfNull(newCalendar);
        if (RunningSince is not null)
        {
            ElapsedBefore = Elapsed(at, oldCalendar);
            RunningSince = at;
        }

        Target = target;
        Calendar = newCalendar.Name;
        Recompute(newCalendar, warnAt);
    }

    /// <summary>
    /// The most severe fraction that has come due and was not raised yet (1 is the breach), or null. Marks it and every
    /// lower fraction as raised, so that after a downtime only the most severe alert goes out, once.
    /// </summary>
    public double? TakeDue(DateTimeOffset now, BusinessCalendar calendar, IReadOnlyList<double> warnAt)
    {
        if (Status != SlaTimerStatus.Running || NextAlertAt is not { } next || next > now)
        {
            return null;
        }

        var elapsed = Elapsed(now, calendar);
        double? most = null;
        foreach (var fraction in Thresholds(warnAt))
        {
            if (!Raised.Contains(fraction) && elapsed >= Fraction(fraction))
            {
                Raised.Add(fraction);
                most = fraction;
            }
        }

        if (most is null)
        {
            // Due by the stored time but not by the count (the calendar changed since): fire nothing, look again.
            Recompute(calendar, warnAt);
            return null;
        }

        Breached |= most >= 1;
        Recompute(calendar, warnAt);
        return most;
    }

    /// <summary>Computes <see cref="DueAt"/> and <see cref="NextAlertAt"/> for a running clock.</summary>
    public void Recompute(BusinessCalendar calendar, IReadOnlyList<double> warnAt)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (RunningSince is not { } since)
        {
            DueAt = null;
            NextAlertAt = null;
            return;
        }

        DueAt = At(1, since, calendar);
        var next = Thresholds(warnAt).Where(f => !Raised.Contains(f)).Select(f => (double?)f).FirstOrDefault();
        NextAlertAt = next is { } fraction ? At(fraction, since, calendar) : null;
    }

    private DateTimeOffset At(double fraction, DateTimeOffset since, BusinessCalendar calendar)
    {
        var left = Fraction(fraction) - ElapsedBefore;
        return left <= TimeSpan.Zero ? since : calendar.AddWorkingTime(since, left);
    }

    private TimeSpan Fraction(double fraction) => fraction >= 1 ? Target : TimeSpan.FromTicks((long)(Target.Ticks * fraction));

    private static IEnumerable<double> Thresholds(IReadOnlyList<double> warnAt) => warnAt.Where(f => f is > 0 and < 1).Order().Append(1.0);
}
