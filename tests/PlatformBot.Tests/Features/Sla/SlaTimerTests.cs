using PlatformBot.Features.Sla;

namespace PlatformBot.Tests.Features.Sla;

public sealed class SlaTimerTests
{
    private static readonly BusinessCalendar Office = BusinessCalendarTests.Office("Europe/Berlin", "Mon-Fri", "09:00-17:00", "2026-11-30");
    private static readonly IReadOnlyList<double> WarnAt = [0.75, 0.9];
    private static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Start_DueAfterTheTargetInWorkingTime_FirstAlertAtTheFirstWarning()
    {
        var timer = SlaTimer.Start(SlaMetric.Resolution, 1, TimeSpan.FromHours(4), Office, Monday9, WarnAt);

        Assert.Equal(Monday9.AddHours(4), timer.DueAt);
        Assert.Equal(Monday9.AddHours(3), timer.NextAlertAt);
    }

    [Fact]
    public void PauseAndResume_PushTheDueTimeByThePause()
    {
        var timer = SlaTimer.Start(SlaMetric.Resolution, 1, TimeSpan.FromHours(4), Office, Monday9, WarnAt);

        timer.Pause(Monday9.AddHours(1), Office);
        var pausedDue = timer.DueAt;
        timer.Resume(Monday9.AddHours(3), Office, WarnAt);

        Assert.Null(pausedDue);
        Assert.Equal(Monday9.AddHours(6), timer.DueAt);
        Assert.Equal(TimeSpan.FromHours(2), timer.PausedFor);
        Assert.Equal(TimeSpan.FromHours(1), timer.Elapsed(Monday9.AddHours(3), Office));
    }

    [Fact]
    public void PausedOvernight_CountsOnlyWorkingTimeBeforeThePause()
    {
        var timer = SlaTimer.Start(SlaMetric.Resolution, 1, TimeSpan.FromHours(4), Office, Monday9, WarnAt);

        timer.Pause(Monday9.AddHours(3), Office);
        timer.Resume(Monday9.AddDays(1), Office, WarnAt); // Tuesday 09:00

        Assert.Equal(Monday9.AddDays(1).AddHours(1), timer.DueAt);
    }

    [Fact]
    public void TakeDue_RaisesEachFractionOnce()
    {
        var timer = SlaTimer.Start(SlaMetric.FirstResponse, 1, TimeSpan.FromHours(1), Office, Monday9, WarnAt);

        var early = timer.TakeDue(Monday9.AddMinutes(30), Office, WarnAt);
        var warning = timer.TakeDue(Monday9.AddMinutes(45), Office, WarnAt);
        var again = timer.TakeDue(Monday9.AddMinutes(46), Office, WarnAt);
        var second = timer.TakeDue(Monday9.AddMinutes(54), Office, WarnAt);
        var breach = timer.TakeDue(Monday9.AddMinutes(60), Office, WarnAt);
        var after = timer.TakeDue(Monday9.AddHours(5), Office, WarnAt);

        Assert.Equal([null, 0.75, null, 0.9, 1.0, null], new[] { early, warning, again, second, breach, after });
        Assert.True(timer.Breached);
        Assert.Null(timer.NextAlertAt);
    }

    [Fact]
    public void TakeDue_AfterADowntime_RaisesOnlyTheMostSevere()
    {
        var timer = SlaTimer.Start(SlaMetric.FirstResponse, 1, TimeSpan.FromHours(1), Office, Monday9, WarnAt);

        var raised = timer.TakeDue(Monday9.AddHours(2), Office, WarnAt);

        Assert.Equal(1.0, raised);
        Assert.Equal([0.75, 0.9, 1.0], timer.Raised);
    }

    [Fact]
    public void Stop_AfterTheTarget_IsBreached_BeforeIt_IsMet()
    {
        var late = SlaTimer.Start(SlaMetric.FirstResponse, 1, TimeSpan.FromHours(1), Office, Monday9, WarnAt);
        var early = SlaTimer.Start(SlaMetric.FirstResponse, 1, TimeSpan.FromHours(1), Office, Monday9, WarnAt);

        late.Stop(Monday9.AddMinutes(61), Office);
        early.Stop(Monday9.AddMinutes(59), Office);

        Assert.True(late.Breached);
        Assert.False(early.Breached);
        Assert.Null(early.NextAlertAt);
    }

    [Fact]
    public void Retarget_KeepsTheTimeCounted_AndMovesTheDueTime()
    {
        var timer = SlaTimer.Start(SlaMetric.Resolution, 1, TimeSpan.FromHours(40), Office, Monday9, WarnAt);

        timer.Retarget(TimeSpan.FromHours(4), BusinessCalendar.AlwaysOpen, Monday9.AddHours(2), Office, WarnAt);

        Assert.Equal(Monday9.AddHours(4), timer.DueAt);
        Assert.Equal(BusinessCalendar.AlwaysOpenName, timer.Calendar);
    }

    [Fact]
    public void Explain_SaysHolidayAndPause()
    {
        // Filed Friday 15:00 with 4 h; waiting on the requester 15:30–17:30 (1.5 h of working time paused);
        // Monday 30 Nov is a holiday, so the remaining 3.5 h run Tuesday 09:00–12:30.
        var friday3 = new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.FromHours(1));
        var timer = SlaTimer.Start(SlaMetric.Resolution, 1, TimeSpan.FromHours(4), Office, friday3, WarnAt);
        timer.Pause(friday3.AddMinutes(30), Office);
        timer.Resume(friday3.AddMinutes(150), Office, WarnAt);

        var words = SlaExplainer.Explain(timer, Office, friday3.AddMinutes(150), Office.TimeZone, "you").ToPlainText();

        Assert.Equal("Resolution: due Tue 1 Dec 12:30, 3 h 30 min of working time left of 4 h: Mon 30 Nov is a holiday, paused 2 h while waiting for you, it counts only Mon–Fri 09:00–17:00 (Europe/Berlin), so it stands still until work starts again.", words);
    }
}
