using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Support;
using Quartz;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>Schedules fire through real Quartz on the test's FakeTimeProvider, in each survey's own time zone.</summary>
public sealed class SurveyScheduleTests
{
    [Fact]
    public async Task CronSchedule_FiresAtTenInTheSurveysZone()
    {
        // Monday 23 Nov 2026: 10:00 in Berlin is 09:00 UTC, 10:00 in New York is 15:00 UTC.
        var settings = SurveySettings.Nps("berlin", "dev:alice").Survey("newyork", ["dev:bob"], ("csat", "How was the week?"))
            .For("berlin", "Schedule", "0 0 10 ? * MON").For("berlin", "TimeZone", "Europe/Berlin")
            .For("newyork", "Schedule", "0 0 10 ? * MON").For("newyork", "TimeZone", "America/New_York");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary(), services: s => s.AddQuartz(q => q.UseTimeProvider(FakeClock(s))));
        var store = SurveyChatTests.Store(bot);

        bot.Time.Advance(new DateTimeOffset(2026, 11, 23, 8, 59, 50, TimeSpan.Zero) - bot.Time.GetUtcNow());
        bot.Time.Advance(TimeSpan.FromSeconds(15));
        var berlin = await EventuallyAsync(() => store.LatestRun("berlin"));
        var newYorkBefore = store.LatestRun("newyork");
        bot.Time.Advance(new DateTimeOffset(2026, 11, 23, 14, 59, 50, TimeSpan.Zero) - bot.Time.GetUtcNow());
        bot.Time.Advance(TimeSpan.FromSeconds(15));
        var newYork = await EventuallyAsync(() => store.LatestRun("newyork"));

        Assert.Equal("berlin-20261123-0900", berlin.Id);
        Assert.Null(newYorkBefore);
        Assert.Equal("newyork-20261123-1500", newYork.Id);
        Assert.Equal(RunKind.Scheduled, newYork.Kind);
    }

    [Fact]
    public async Task FiringMissedWhileDown_IsStartedOnceAtTheNextStart_ClosingWhenItWouldHave()
    {
        // Monday 23 Nov 2026, 10:00 Berlin = 09:00 UTC. The bot is down from 08:00 to 09:30 UTC.
        var settings = SurveySettings.Nps("pulse", "dev:alice").For("pulse", "Schedule", "0 0 10 ? * MON").For("pulse", "TimeZone", "Europe/Berlin").ToDictionary();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestBot.MondayMorning);
        string folder;
        await using (var before = await StartAsync(settings, time))
        {
            folder = before.DataDirectory;
        }

        time.Advance(TimeSpan.FromMinutes(90));
        SurveyRun caughtUp;
        await using (var after = await StartAsync(settings, time, folder))
        {
            caughtUp = await EventuallyAsync(() => SurveyChatTests.Store(after).LatestRun("pulse"));
        }

        time.Advance(TimeSpan.FromMinutes(10));
        await using var again = await StartAsync(settings, time, folder);
        await Task.Delay(500, TestContext.Current.CancellationToken); // real time for a wrong second catch-up to show up
        var runs = SurveyChatTests.Store(again).OpenRuns("pulse");

        Assert.Equal("pulse-20261123-0900", caughtUp.Id);
        Assert.Equal(RunKind.Scheduled, caughtUp.Kind);
        Assert.Equal(new DateTime(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc), caughtUp.ClosesAt.ToUniversalTime());
        Assert.Single(runs);
    }

    [Fact]
    public async Task FiringMissedLongerAgoThanOpenFor_IsNotCaughtUp()
    {
        var settings = SurveySettings.Nps("pulse", "dev:alice").For("pulse", "Schedule", "0 0 10 ? * MON").For("pulse", "TimeZone", "Europe/Berlin")
            .For("pulse", "OpenFor", "04:00:00").ToDictionary();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 13, 30, 0, TimeSpan.Zero));

        await using var bot = await StartAsync(settings, time);
        await Task.Delay(500, TestContext.Current.CancellationToken); // real time for a wrong catch-up to show up

        Assert.Null(SurveyChatTests.Store(bot).LatestRun("pulse"));
    }

    [Theory]
    [InlineData("2026-11-23T09:30:00Z", "2026-11-23T09:00:00Z")] // Monday 10:30 Berlin: this morning's firing
    [InlineData("2026-11-23T08:59:00Z", "2026-11-16T09:00:00Z")] // just before it: last week's
    [InlineData("2026-07-06T08:00:00Z", "2026-07-06T08:00:00Z")] // summer time: 10:00 Berlin is 08:00 UTC
    public void LatestFiring_IsTheLastOneAtOrBeforeNow_InTheSurveysZone(string now, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var latest = SurveySchedule.LatestFiring("0 0 10 ? * MON", zone, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromDays(8));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), latest);
    }

    private static Task<TestBot> StartAsync(IDictionary<string, string?> settings, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, string? folder = null) =>
        TestBot.StartAsync(folder, time, settings, s => s.AddQuartz(q => q.UseTimeProvider(time)));

    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider FakeClock(IServiceCollection services) =>
        (Microsoft.Extensions.Time.Testing.FakeTimeProvider)services.Last(d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance!;

    /// <summary>Waits (in real time, bounded) for Quartz's own thread to act on the advanced fake clock.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("Quartz did not fire within 10 s of real time.");
    }
}
