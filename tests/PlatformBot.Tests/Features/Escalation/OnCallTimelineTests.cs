using PlatformBot.Features.Escalation.OnCall;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class OnCallTimelineTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Daily 09:00 Berlin from Mon 22 Mar 2027: dana, omar, dana, omar, … (clocks go forward Sun 28 Mar).
    private static readonly Rotation Daily = new("primary", Berlin, ["dana", "omar"], RotationKind.Daily, new TimeOnly(9, 0), DayOfWeek.Monday, new DateOnly(2027, 3, 22));

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2027, 3, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Override_CoversItsWindowOnly()
    {
        var timeline = new OnCallTimeline(Daily, [new OverrideWindow(1, "priya", Utc(23, 12), Utc(23, 14))]);

        Assert.Equal(["omar", "priya", "omar"], [timeline.Who(Utc(23, 11, 59))!, timeline.Who(Utc(23, 12))!, timeline.Who(Utc(23, 14))!]);
    }

    [Fact]
    public void OverlappingOverrides_TheLatestMadeWins()
    {
        var timeline = new OnCallTimeline(Daily, [new OverrideWindow(2, "lee", Utc(23, 13), Utc(23, 15)), new OverrideWindow(1, "priya", Utc(23, 12), Utc(23, 16))]);

        Assert.Equal(["priya", "lee", "priya"], [timeline.Who(Utc(23, 12, 30))!, timeline.Who(Utc(23, 13, 30))!, timeline.Who(Utc(23, 15, 30))!]);
    }

    [Fact]
    public void OverrideAcrossTheSpringChange_EndsAtItsWallClockTime()
    {
        // Sat 27 Mar 20:00 CET (19:00 UTC) to Sun 28 Mar 20:00 CEST (18:00 UTC): 23 hours.
        var from = new DateTimeOffset(2027, 3, 27, 20, 0, 0, TimeSpan.FromHours(1));
        var to = new DateTimeOffset(2027, 3, 28, 20, 0, 0, TimeSpan.FromHours(2));
        var timeline = new OnCallTimeline(Daily, [new OverrideWindow(1, "priya", from, to)]);

        var during = timeline.SegmentAt(Utc(28, 17, 59));
        var afterwards = timeline.Who(Utc(28, 18));

        Assert.Equal(("priya", true, (DateTimeOffset?)to, "dana"), (during.Member, during.IsOverride, during.Until, during.Next));
        Assert.Equal("dana", afterwards); // the Sunday shift (index 6)
    }

    [Fact]
    public void Segment_EndsAtTheNextHandoff_AndNamesWhoIsNext()
    {
        var timeline = new OnCallTimeline(Daily, []);

        var segment = timeline.SegmentAt(Utc(28, 12));

        Assert.Equal(("dana", (DateTimeOffset?)Utc(29, 7), "omar"), (segment.Member, segment.Until, segment.Next)); // Mon 09:00 CEST
    }

    [Fact]
    public void Segment_SkipsHandoffsToTheSamePerson()
    {
        var alone = new Rotation("solo", Berlin, ["dana"], RotationKind.Daily, new TimeOnly(9, 0), DayOfWeek.Monday, new DateOnly(2027, 3, 22));
        var timeline = new OnCallTimeline(alone, [new OverrideWindow(1, "omar", Utc(25, 8), Utc(25, 9))]);

        var segment = timeline.SegmentAt(Utc(23, 12));

        Assert.Equal(("dana", (DateTimeOffset?)Utc(25, 8), "omar"), (segment.Member, segment.Until, segment.Next));
    }

    [Fact]
    public void BeforeTheStart_NobodyUntilTheFirstShift()
    {
        var segment = new OnCallTimeline(Daily, []).SegmentAt(Utc(20, 12));

        Assert.Equal((null, (DateTimeOffset?)Utc(22, 8), "dana"), (segment.Member, segment.Until, segment.Next));
    }
}
