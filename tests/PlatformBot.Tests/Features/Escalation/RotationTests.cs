using PlatformBot.Features.Escalation.OnCall;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class RotationTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static Rotation Daily(string handoff = "09:00", string start = "2027-03-22", TimeZoneInfo? zone = null) =>
        new("primary", zone ?? Berlin, ["dana", "omar", "priya"], RotationKind.Daily, TimeOnly.Parse(handoff, System.Globalization.CultureInfo.InvariantCulture), DayOfWeek.Monday, DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));

    private static Rotation Weekly(DayOfWeek day = DayOfWeek.Monday, string start = "2027-03-01") =>
        new("secondary", Berlin, ["dana", "omar"], RotationKind.Weekly, new TimeOnly(9, 0), day, DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2027-03-22T08:00:00Z", "dana")] // Mon 09:00 CET: the first shift begins
    [InlineData("2027-03-23T07:59:00Z", "dana")] // Tue 08:59 CET
    [InlineData("2027-03-23T08:00:00Z", "omar")] // Tue 09:00 CET
    [InlineData("2027-03-24T08:00:00Z", "priya")]
    [InlineData("2027-03-25T08:00:00Z", "dana")] // round again
    public void Daily_MembersTakeTurnsAtTheHandoff(string at, string expected)
    {
        Assert.Equal(expected, Daily().ShiftAt(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture))!.Member);
    }

    [Fact]
    public void BeforeTheStart_NobodyIsOnCall()
    {
        Assert.Null(Daily().ShiftAt(new DateTimeOffset(2027, 3, 22, 7, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Daily_AfterClocksGoForward_HandsOffAtNineLocalNotAtTheOldUtcHour()
    {
        var rotation = Daily();

        // Sun 28 Mar 2027 02:00 CET → 03:00 CEST. Mon 29 Mar 09:00 CEST is 07:00 UTC; a 24-hour step would say 08:00 UTC.
        var before = rotation.ShiftAt(new DateTimeOffset(2027, 3, 29, 6, 59, 0, TimeSpan.Zero))!;
        var after = rotation.ShiftAt(new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero))!;

        Assert.Equal("dana", before.Member); // Sun 28 Mar shift (index 6)
        Assert.Equal("omar", after.Member);
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero), after.From);
    }

    [Fact]
    public void Daily_TheShiftAcrossTheSpringChange_Lasts23Hours()
    {
        var shift = Daily().ShiftAt(new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.Zero))!; // Sat 09:00 CET to Sun 09:00 CEST

        Assert.Equal(TimeSpan.FromHours(23), shift.To - shift.From);
    }

    [Fact]
    public void Daily_TheShiftAcrossTheAutumnChange_Lasts25Hours()
    {
        var shift = Daily(start: "2027-10-25").ShiftAt(new DateTimeOffset(2027, 10, 30, 12, 0, 0, TimeSpan.Zero))!; // Sat 30 Oct; clocks go back Sun 31 Oct

        Assert.Equal(TimeSpan.FromHours(25), shift.To - shift.From);
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 8, 0, 0, TimeSpan.Zero), shift.To); // Sun 09:00 CET
    }

    [Fact]
    public void HandoffInTheSkippedHour_MovesToTheHourAfterTheJump()
    {
        var shift = Daily(handoff: "02:30").ShiftAt(new DateTimeOffset(2027, 3, 28, 12, 0, 0, TimeSpan.Zero))!;

        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.Zero), shift.From); // 03:30 CEST
    }

    [Fact]
    public void HandoffInTheRepeatedHour_IsItsFirstOccurrence()
    {
        var shift = Daily(handoff: "02:30", start: "2027-10-25").ShiftAt(new DateTimeOffset(2027, 10, 31, 12, 0, 0, TimeSpan.Zero))!;

        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), shift.From); // 02:30 CEST, not 02:30 CET
    }

    [Fact]
    public void Daily_InAnotherZone_FollowsThatZonesOwnChangeDate()
    {
        var rotation = Daily(start: "2027-03-08", zone: NewYork); // US clocks go forward Sun 14 Mar 2027

        var monday = rotation.ShiftAt(new DateTimeOffset(2027, 3, 15, 13, 0, 0, TimeSpan.Zero))!; // 09:00 EDT

        Assert.Equal(new DateTimeOffset(2027, 3, 15, 13, 0, 0, TimeSpan.Zero), monday.From);
        Assert.Equal("omar", monday.Member); // index 7
    }

    [Theory]
    [InlineData("2027-03-01T08:00:00Z", "dana")] // Mon 1 Mar 09:00 CET
    [InlineData("2027-03-08T07:59:00Z", "dana")]
    [InlineData("2027-03-08T08:00:00Z", "omar")]
    [InlineData("2027-03-29T06:59:00Z", "omar")] // Mon 29 Mar 08:59 CEST: still the week of 22 Mar
    [InlineData("2027-03-29T07:00:00Z", "dana")] // Mon 29 Mar 09:00 CEST
    public void Weekly_HandsOffOnItsDay_AcrossTheSpringChange(string at, string expected)
    {
        Assert.Equal(expected, Weekly().ShiftAt(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture))!.Member);
    }

    [Fact]
    public void Weekly_StartingMidWeek_TheFirstShiftRunsToTheFirstHandoffDay()
    {
        var rotation = Weekly(start: "2027-03-03"); // a Wednesday

        var first = rotation.ShiftAt(new DateTimeOffset(2027, 3, 5, 12, 0, 0, TimeSpan.Zero))!;
        var second = rotation.After(first);

        Assert.Equal(("dana", new DateTimeOffset(2027, 3, 8, 8, 0, 0, TimeSpan.Zero)), (first.Member, first.To));
        Assert.Equal("omar", second.Member);
    }
}
