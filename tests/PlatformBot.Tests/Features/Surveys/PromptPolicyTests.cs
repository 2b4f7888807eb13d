using System.Globalization;
using PlatformBot.Features.Surveys;

namespace PlatformBot.Tests.Features.Surveys;

public sealed class PromptPolicyTests
{
    private static readonly QuietHoursOptions Quiet = new();
    private static readonly FatigueOptions Fatigue = new();

    [Theory]
    [InlineData("2026-11-23T08:00:00Z", "Europe/Berlin", "2026-11-23T08:00:00Z")] // Monday 09:00 Berlin: allowed
    [InlineData("2026-11-23T07:59:00Z", "Europe/Berlin", "2026-11-23T08:00:00Z")] // 08:59: waits a minute
    [InlineData("2026-11-23T17:00:00Z", "Europe/Berlin", "2026-11-24T08:00:00Z")] // 18:00: the next morning
    [InlineData("2026-11-23T16:59:00Z", "Europe/Berlin", "2026-11-23T16:59:00Z")] // 17:59: still allowed
    [InlineData("2026-11-27T17:30:00Z", "Europe/Berlin", "2026-11-30T08:00:00Z")] // Friday evening: Monday morning
    [InlineData("2026-11-28T10:00:00Z", "Europe/Berlin", "2026-11-30T08:00:00Z")] // Saturday: Monday morning
    [InlineData("2026-11-23T08:00:00Z", "America/Los_Angeles", "2026-11-23T17:00:00Z")] // midnight in LA: 09:00 there
    [InlineData("2026-11-23T09:30:00Z", "Asia/Tokyo", "2026-11-24T00:00:00Z")] // 18:30 in Tokyo: 09:00 there next day
    public void NextAllowed_WaitsForTheEndOfQuietHoursInThePersonsZone(string now, string zone, string expected)
    {
        var at = PromptPolicy.NextAllowed(Parse(now), TimeZoneInfo.FindSystemTimeZoneById(zone), Quiet);

        Assert.Equal(Parse(expected), at);
    }

    [Fact]
    public void NextAllowed_WhenDisabled_IsNow()
    {
        var now = Parse("2026-11-28T23:00:00Z");

        Assert.Equal(now, PromptPolicy.NextAllowed(now, TimeZoneInfo.Utc, new QuietHoursOptions { Enabled = false }));
    }

    [Fact]
    public void NextAllowed_AcrossTheSpringDstGap_LandsOnTheLocalMorning()
    {
        // Sunday 29 March 2026 Berlin moves 02:00 → 03:00; with weekends quiet, Monday 09:00 CEST is 07:00 UTC.
        var at = PromptPolicy.NextAllowed(Parse("2026-03-28T12:00:00Z"), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), Quiet);

        Assert.Equal(Parse("2026-03-30T07:00:00Z"), at);
    }

    [Fact]
    public void Decide_WithTheBudgetSpent_SkipsForFatigue()
    {
        var decision = PromptPolicy.Decide(Parse("2026-11-23T08:00:00Z"), Parse("2026-11-26T08:00:00Z"), TimeZoneInfo.Utc, promptsInWindow: 2, countsAgainstBudget: true, Fatigue, Quiet);

        Assert.Equal(RecipientStatus.SkippedFatigue, decision.Status);
    }

    [Fact]
    public void Decide_ReminderWithTheBudgetSpent_IsStillSent()
    {
        var decision = PromptPolicy.Decide(Parse("2026-11-23T10:00:00Z"), Parse("2026-11-26T08:00:00Z"), TimeZoneInfo.Utc, promptsInWindow: 2, countsAgainstBudget: false, Fatigue, Quiet);

        Assert.Equal(RecipientStatus.Prompted, decision.Status);
    }

    [Fact]
    public void Decide_WhenQuietHoursLastUntilTheClose_SkipsForQuietHours()
    {
        var decision = PromptPolicy.Decide(Parse("2026-11-27T18:00:00Z"), Parse("2026-11-29T18:00:00Z"), TimeZoneInfo.Utc, 0, countsAgainstBudget: true, Fatigue, Quiet);

        Assert.Equal(RecipientStatus.SkippedQuietHours, decision.Status);
    }

    [Fact]
    public void Decide_DuringQuietHours_SendsAtTheirEnd()
    {
        var decision = PromptPolicy.Decide(Parse("2026-11-23T20:00:00Z"), Parse("2026-11-26T08:00:00Z"), TimeZoneInfo.Utc, 1, countsAgainstBudget: true, Fatigue, Quiet);

        Assert.Equal((RecipientStatus.Prompted, Parse("2026-11-24T09:00:00Z")), (decision.Status, decision.SendAt!.Value));
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
