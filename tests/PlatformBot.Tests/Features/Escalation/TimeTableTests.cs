using System.Globalization;
using PlatformBot.Features.Escalation;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class TimeTableTests
{
    private static readonly TimeZoneInfo Berlin = Calendars.Berlin;
    private static readonly DateTimeOffset Now = Calendars.MondayTen;

    [Theory]
    [InlineData("now", "2026-11-23T09:00:00Z")]
    [InlineData("+2h", "2026-11-23T11:00:00Z")]
    [InlineData("+90m", "2026-11-23T10:30:00Z")]
    [InlineData("18:00", "2026-11-23T17:00:00Z")]
    [InlineData("tomorrow 09:00", "2026-11-24T08:00:00Z")]
    [InlineData("saturday 02:00", "2026-11-28T01:00:00Z")]
    [InlineData("Mon 10:30", "2026-11-23T09:30:00Z")] // today, still ahead
    [InlineData("mon 08:00", "2026-11-30T07:00:00Z")] // today's has passed: next week's
    [InlineData("2026-12-24", "2026-12-23T23:00:00Z")]
    [InlineData("2026-12-24 18:00", "2026-12-24T17:00:00Z")]
    [InlineData("2026-12-24T18:00", "2026-12-24T17:00:00Z")]
    [InlineData("2026-12-24T18:00+05:00", "2026-12-24T13:00:00Z")]
    [InlineData("2027-03-28T02:30", "2027-03-28T01:30:00Z")] // skipped hour → 03:30 CEST
    public void TimeExpression_ReadsInTheZone(string text, string expected)
    {
        Assert.True(TimeExpression.TryParse(text.Split(' '), Berlin, Now, out var at));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), at);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("25:00")]
    [InlineData("2026-13-01")]
    [InlineData("tomorrow noon")]
    [InlineData("+2x")]
    [InlineData("now 18:00")]
    public void TimeExpression_RefusesWhatItCannotRead(string text)
    {
        Assert.False(TimeExpression.TryParse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries), Berlin, Now, out _));
    }

    [Theory]
    [InlineData("saturday 20:00 sunday 08:00", "2026-11-28T19:00:00Z", "2026-11-29T07:00:00Z")]
    [InlineData("now +8h", "2026-11-23T09:00:00Z", "2026-11-23T17:00:00Z")]
    [InlineData("18:00 tomorrow 06:00", "2026-11-23T17:00:00Z", "2026-11-24T05:00:00Z")]
    [InlineData("2026-12-24T18:00 2026-12-27", "2026-12-24T17:00:00Z", "2026-12-26T23:00:00Z")]
    public void TimeRange_SplitsIntoFromAndTo(string text, string from, string to)
    {
        Assert.True(TimeExpression.TryParseRange(text.Split(' '), Berlin, Now, out var f, out var t));
        Assert.Equal((DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, CultureInfo.InvariantCulture)), (f, t));
    }

    [Theory]
    [InlineData("2026-11-28T01:00:00Z", "2026-11-30T08:00:00Z")] // Sat 02:00 → Mon 09:00
    [InlineData("2026-11-23T05:00:00Z", "2026-11-23T08:00:00Z")] // Mon 06:00 → Mon 09:00
    [InlineData("2026-12-24T17:00:00Z", "2026-12-28T08:00:00Z")] // Thu evening → Fri is Christmas → Mon
    [InlineData("2027-03-26T17:00:00Z", "2027-03-29T07:00:00Z")] // Fri evening CET → Mon 09:00 CEST
    [InlineData("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z")] // open: now
    public void NextOpen_IsTheNextOpeningOfTheCalendar(string at, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), EscalationPolicy.NextOpen(Calendars.Office, DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));
    }
}
