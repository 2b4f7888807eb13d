using PlatformBot.Features.OfficeHours;

namespace PlatformBot.Tests.Features.OfficeHours;

public sealed class OfficeHoursScheduleTests
{
    [Theory]
    // Every other Thursday 15:00 Berlin: UTC+1 in winter, UTC+2 after the change on 29 March 2026.
    [InlineData("Europe/Berlin", "2026-03-01T00:00:00Z", "2026-03-12T14:00:00Z", "2026-03-26T14:00:00Z", "2026-04-09T13:00:00Z")]
    // New York changes on 8 March 2026 (UTC-5 → UTC-4) and back on 1 November 2026.
    [InlineData("America/New_York", "2026-02-20T00:00:00Z", "2026-02-26T20:00:00Z", "2026-03-12T19:00:00Z", "2026-03-26T19:00:00Z")]
    [InlineData("America/New_York", "2026-10-20T00:00:00Z", "2026-10-22T19:00:00Z", "2026-11-05T20:00:00Z", "2026-11-19T20:00:00Z")]
    // Kolkata has no DST and a half-hour offset.
    [InlineData("Asia/Kolkata", "2026-03-01T00:00:00Z", "2026-03-12T09:30:00Z", "2026-03-26T09:30:00Z", "2026-04-09T09:30:00Z")]
    public void EveryOtherThursday_AtThreeLocal_AcrossDstChanges(string zone, string from, string first, string second, string third)
    {
        var session = new OfficeHoursSessionOptions
        {
            Title = "x",
            Schedule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=15",
            TimeZone = zone,
            Start = new DateOnly(2026, 1, 1),
            Duration = TimeSpan.FromHours(1),
        };

        var starts = OfficeHoursSchedule.Occurrences("s", session, DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture)).Take(3).Select(o => o.Start).ToList();

        Assert.Equal([DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(second, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(third, System.Globalization.CultureInfo.InvariantCulture)], starts);
    }

    [Fact]
    public void MeetingUnderWay_IsStillTheNextOne()
    {
        var session = new OfficeHoursSessionOptions { Title = "x", Schedule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10", TimeZone = "UTC", Start = new DateOnly(2026, 11, 2), Duration = TimeSpan.FromHours(1) };

        var next = OfficeHoursSchedule.Next("s", session, new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), next!.Start);
    }

    [Theory]
    [InlineData("FREQ=SOMETIMES")]
    [InlineData("")]
    public void InvalidRule_IsReported(string rule)
    {
        var session = new OfficeHoursSessionOptions { Title = "x", Schedule = rule, TimeZone = "UTC" };

        Assert.NotNull(OfficeHoursSchedule.Validate(session));
    }
}
