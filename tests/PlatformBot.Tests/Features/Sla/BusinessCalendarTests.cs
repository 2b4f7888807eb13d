using PlatformBot.Features.Sla;

namespace PlatformBot.Tests.Features.Sla;

public sealed class BusinessCalendarTests
{
    private static readonly Dictionary<string, BusinessCalendar> Calendars = new()
    {
        // Mon–Fri 09:00–17:00 in Berlin with Christmas (Thu 24 and Fri 25 Dec 2026) off.
        ["berlin"] = Office("Europe/Berlin", "Mon-Fri", "09:00-17:00", "2026-12-24", "2026-12-25"),
        ["new-york"] = Office("America/New_York", "Mon-Fri", "09:00-17:00"),
        ["sydney"] = Office("Australia/Sydney", "Mon-Fri", "09:00-17:00"),
        ["tokyo-lunch"] = Office("Asia/Tokyo", "Mon-Fri", "09:00-12:00, 13:00-18:00"),
        ["berlin-24h"] = Office("Europe/Berlin", "Mon-Sun", "00:00-24:00"),
        ["berlin-night"] = Office("Europe/Berlin", "Sun", "01:00-04:00"),
        ["24x7"] = BusinessCalendar.AlwaysOpen,
    };

    [Theory]
    [InlineData("berlin", "2026-11-23T09:00:00+01:00", "01:00:00", "2026-11-23T10:00:00+01:00")] // Monday morning
    [InlineData("berlin", "2026-11-23T16:30:00+01:00", "01:00:00", "2026-11-24T09:30:00+01:00")] // runs over into Tuesday
    [InlineData("berlin", "2026-11-23T17:00:00+01:00", "01:00:00", "2026-11-24T10:00:00+01:00")] // filed at closing time
    [InlineData("berlin", "2026-11-23T07:00:00+01:00", "00:30:00", "2026-11-23T09:30:00+01:00")] // before opening
    [InlineData("berlin", "2026-11-27T16:00:00+01:00", "02:00:00", "2026-11-30T10:00:00+01:00")] // over the weekend
    [InlineData("berlin", "2026-11-28T12:00:00+01:00", "00:30:00", "2026-11-30T09:30:00+01:00")] // filed on Saturday
    [InlineData("berlin", "2026-11-23T09:00:00+01:00", "08:00:00", "2026-11-23T17:00:00+01:00")] // exactly one day: due at closing
    [InlineData("berlin", "2026-11-23T09:00:00+01:00", "1.16:00:00", "2026-11-27T17:00:00+01:00")] // 40 h is one working week
    [InlineData("berlin", "2026-12-23T16:00:00+01:00", "02:00:00", "2026-12-28T10:00:00+01:00")] // Christmas holidays, then the weekend
    [InlineData("berlin", "2026-03-27T16:00:00+01:00", "02:00:00", "2026-03-30T10:00:00+02:00")] // clocks go forward on Sunday 29 Mar
    [InlineData("berlin", "2026-10-23T16:00:00+02:00", "02:00:00", "2026-10-26T10:00:00+01:00")] // clocks go back on Sunday 25 Oct
    [InlineData("new-york", "2026-03-06T16:00:00-05:00", "02:00:00", "2026-03-09T10:00:00-04:00")] // US DST starts 8 Mar
    [InlineData("new-york", "2026-10-30T16:00:00-04:00", "02:00:00", "2026-11-02T10:00:00-05:00")] // US DST ends 1 Nov
    [InlineData("sydney", "2026-04-03T16:00:00+11:00", "02:00:00", "2026-04-06T10:00:00+10:00")] // southern DST ends 5 Apr
    [InlineData("sydney", "2026-10-02T16:00:00+10:00", "02:00:00", "2026-10-05T10:00:00+11:00")] // southern DST starts 4 Oct
    [InlineData("tokyo-lunch", "2026-11-23T11:30:00+09:00", "01:00:00", "2026-11-23T13:30:00+09:00")] // lunch break left out
    [InlineData("berlin-24h", "2026-03-28T12:00:00+01:00", "1.00:00:00", "2026-03-29T13:00:00+02:00")] // the 23-hour day
    [InlineData("berlin-24h", "2026-10-24T12:00:00+02:00", "1.00:00:00", "2026-10-25T11:00:00+01:00")] // the 25-hour day
    [InlineData("24x7", "2026-03-28T12:00:00+01:00", "1.00:00:00", "2026-03-29T12:00:00+01:00")] // calendar time: plain addition
    [InlineData("berlin", "2026-11-23T10:00:00+01:00", "00:00:00", "2026-11-23T10:00:00+01:00")] // nothing to add
    public void AddWorkingTime_LandsOnTheExpectedInstant(string calendar, string start, string amount, string expected)
    {
        var due = Calendars[calendar].AddWorkingTime(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), due);
    }

    [Theory]
    [InlineData("berlin", "2026-11-27T16:00:00+01:00", "2026-11-30T10:00:00+01:00", "02:00:00")]
    [InlineData("berlin", "2026-11-23T08:00:00+01:00", "2026-11-23T18:00:00+01:00", "08:00:00")]
    [InlineData("berlin", "2026-12-23T09:00:00+01:00", "2026-12-28T09:00:00+01:00", "08:00:00")] // Wed only: Thu, Fri holidays, weekend
    [InlineData("berlin", "2026-11-23T12:00:00+01:00", "2026-11-23T11:00:00+01:00", "00:00:00")] // backwards is nothing
    [InlineData("berlin-24h", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "23:00:00")]
    [InlineData("berlin-24h", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "1.01:00:00")]
    [InlineData("berlin-night", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "02:00:00")] // 02:00–03:00 never happens
    [InlineData("berlin-night", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "04:00:00")] // 02:00–03:00 happens twice
    [InlineData("tokyo-lunch", "2026-11-23T00:00:00+09:00", "2026-11-24T00:00:00+09:00", "08:00:00")]
    [InlineData("new-york", "2026-03-06T12:00:00-05:00", "2026-03-09T12:00:00-04:00", "08:00:00")]
    public void WorkingTimeBetween_CountsOnlyWorkingHours(string calendar, string from, string to, string expected)
    {
        var working = Calendars[calendar].WorkingTimeBetween(
            DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), working);
    }

    [Theory]
    [InlineData("berlin")]
    [InlineData("new-york")]
    [InlineData("sydney")]
    [InlineData("tokyo-lunch")]
    [InlineData("berlin-24h")]
    public void WorkingTimeBetween_UndoesAddWorkingTime_AcrossAYearOfStarts(string calendar)
    {
        var cal = Calendars[calendar];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var mismatches = Enumerable.Range(0, 365 * 4)
            .Select(i => start.AddHours(i * 6 + (i % 5)))
            .Select(s => (Start: s, Amount: TimeSpan.FromMinutes(30 + (s.Hour * 37 % 1500))))
            .Where(x => cal.WorkingTimeBetween(x.Start, cal.AddWorkingTime(x.Start, x.Amount)) != x.Amount)
            .ToList();

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData("berlin", "2026-11-23T10:00:00+01:00", true)]
    [InlineData("berlin", "2026-11-23T17:00:00+01:00", false)]
    [InlineData("berlin", "2026-11-28T10:00:00+01:00", false)]
    [InlineData("berlin", "2026-12-24T10:00:00+01:00", false)]
    [InlineData("24x7", "2026-12-24T03:00:00+01:00", true)]
    public void IsOpen_FollowsHoursWeekendsAndHolidays(string calendar, string at, bool open)
    {
        Assert.Equal(open, Calendars[calendar].IsOpen(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Describe_GroupsWeekdaysWithTheSameHours()
    {
        Assert.Equal("Mon–Fri 09:00–17:00 (Europe/Berlin)", Calendars["berlin"].Describe());
    }

    [Fact]
    public void Create_WithoutAnyWorkingHours_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("empty", TimeZoneInfo.Utc, new Dictionary<DayOfWeek, IReadOnlyList<WorkingHours>>(), []));
    }

    internal static BusinessCalendar Office(string zone, string days, string hours, params string[] holidays)
    {
        var week = SlaSettings.ParseDays(days)!.ToDictionary(d => d, _ => (IReadOnlyList<WorkingHours>)SlaSettings.ParseHours(hours)!);
        return BusinessCalendar.Create(zone, TimeZoneInfo.FindSystemTimeZoneById(zone), week, holidays.Select(h => DateOnly.Parse(h, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
