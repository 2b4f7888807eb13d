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
