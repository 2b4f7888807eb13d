using NSubstitute;
using PlatformBot.Conversations;
using PlatformBot.Features.Surveys;
using PlatformBot.Features.Tickets;
using PlatformBot.Outbox;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>Runs with the real core on a LiteDB file and a recording channel: many people, 429s, quiet hours, restarts.</summary>
public sealed class SurveyRunTests
{
    [Fact]
    public async Task RunToFiveThousand_With429s_DeliversEveryPromptExactlyOnce()
    {
        var users = Enumerable.Range(1, 5000).Select(i => $"test:u{i:D4}").ToArray();
        // 250 a second at most for this channel; every 7th call is refused with a 429 and Retry-After.
        var outbox = new Dictionary<string, string?> { ["Outbox:RatePerSecond:test"] = "250", ["Outbox:BatchSize"] = "250" };
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", users), extra: outbox);
        var failures = 0;
        harness.Sender.FailOnAttempt = attempt =>
        {
            if (attempt % 7 != 0)
            {
                return null;
            }

            failures++;
            return new ChannelSendException("ratelimited", isTransient: true, retryAfter: TimeSpan.FromSeconds(3));
        };

        var run = await harness.SendAsync("dx");
        for (var i = 0; i < 1000 && harness.Outbox.Count(OutboxStatus.Pending) > 0; i++)
        {
            await harness.Dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var recipients = harness.Sender.Sent.Select(s => s.To.ConversationId).ToList();
        Assert.Equal((5000, 5000, 0), (run!.Recipients, run.Prompted, run.SkippedFatigue + run.SkippedQuietHours));
        Assert.True(failures > 500, $"only {failures} sends failed");
        Assert.Equal(0, harness.Outbox.Count(OutboxStatus.DeadLetter));
        Assert.Equal(5000, recipients.Count);
        Assert.Equal(5000, recipients.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task PersonInQuietHours_IsPromptedWhenTheirMorningComes()
    {
        // Monday 08:00 UTC is midnight in Los Angeles: the prompt waits for 09:00 there, 17:00 UTC.
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana"), extra: new Dictionary<string, string?> { ["Team:TimeZone"] = "America/Los_Angeles" });

        var run = await harness.SendAsync("dx");
        await harness.Dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        var before = harness.Sender.Sent.Count;
        harness.Time.Advance(TimeSpan.FromHours(9));
        await harness.Dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal((1, 1), (run!.Prompted, run.Deferred));
        Assert.Equal(0, before);
        Assert.Single(harness.Sender.Sent);
    }

    [Fact]
    public async Task QuietHoursUntilTheClose_SkipThePerson_AndTheFiguresSaySo()
    {
        var settings = SurveySettings.Nps("dx", "test:ana", "test:ben").For("dx", "OpenFor", "04:00:00");
        await using var harness = new SurveyHarness(settings, extra: new Dictionary<string, string?> { ["Team:TimeZone"] = "America/Los_Angeles" });

        var run = await harness.SendAsync("dx");

        Assert.Equal((0, 2), (run!.Prompted, run.SkippedQuietHours));
        Assert.Equal(0, harness.Outbox.Count(OutboxStatus.Pending));
    }

    [Fact]
    public async Task PersonsOwnTimeZone_WinsOverTheTeams()
    {
        await using var harness = new SurveyHarness(new SurveySettings().Survey("dx", [], ("nps", "Recommend?")).For("dx", "Audience:Channels:0", "test:general"));
        harness.Members.Add(new UserRef("test", "kenji", "Kenji", "Asia/Tokyo")); // 17:00 in Tokyo: fine; 18:30 would not be
        harness.Time.Advance(TimeSpan.FromMinutes(90));

        var run = await harness.SendAsync("dx");

        Assert.Equal(1, run!.Deferred);
        Assert.Equal(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), harness.Store.Recipient(run.Id, "test:kenji")!.PromptAt!.Value.ToUniversalTime());
    }

    [Fact]
    public async Task FatigueBudget_IsSharedByEverySurvey()
    {
        var settings = SurveySettings.Nps("a", "test:ana").Survey("b", ["test:ana"], ("csat", "Ops?")).Survey("c", ["test:ana"], ("csat", "Docs?"));
        await using var harness = new SurveyHarness(settings);

        await harness.SendAsync("a");
        await harness.SendAsync("b");
        var third = await harness.SendAsync("c");
        harness.Time.Advance(TimeSpan.FromDays(31));
        var afterTheWindow = await harness.SendAsync("c");

        Assert.Equal((0, 1), (third!.Prompted, third.SkippedFatigue));
        Assert.Equal(1, afterTheWindow!.Prompted);
    }

    [Fact]
    public async Task ScheduledFiringSeenTwice_StartsOneRun()
    {
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana"));
        var firing = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        var first = await harness.Runner.StartAsync("dx", RunKind.Scheduled, firing, null, TestContext.Current.CancellationToken);
        var second = await harness.Runner.StartAsync("dx", RunKind.Scheduled, firing, null, TestContext.Current.CancellationToken);

        Assert.Equal(first!.Id, second!.Id);
        Assert.Single(harness.Store.OpenRuns("dx"));
        Assert.Equal(1, harness.Outbox.Count(OutboxStatus.Pending));
    }

    [Fact]
    public async Task RecipientsNotYetPrompted_WhenTheProcessStopped_ArePromptedOnceByTheSweep()
    {
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana", "test:ben"));
        var run = await harness.SendAsync("dx");
        foreach (var recipient in new[] { "test:ana", "test:ben" }.Select(k => harness.Store.Recipient(run!.Id, k)!))
        {
            recipient.Status = RecipientStatus.Pending; // as if the process had stopped between storing the run and its prompts
            harness.Store.UpdateRecipient(recipient);
        }

        await harness.Get<SurveySweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await harness.Get<SurveySweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await harness.Dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, harness.Sender.Sent.Count);
    }

    [Fact]
    public async Task ClosedRuns_MakeATrend_AndTheInsightsShowTheLatest()
    {
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana", "test:ben").Set("Surveys:Fatigue:MaxPrompts", "10"));
        foreach (var (ana, ben) in new[] { (10, 0), (10, 8), (10, 10) })
        {
            var run = (await harness.SendAsync("dx"))!;
            harness.Runner.Answer(new UserRef("test", "ana"), run.Id, new Pick(0, ana), null);
            harness.Runner.Answer(new UserRef("test", "ben"), run.Id, new Pick(0, ben), null);
            harness.Runner.Close(run.Id);
            harness.Time.Advance(TimeSpan.FromDays(7));
        }

        var latest = Assert.Single(harness.Get<ISurveyInsights>().Latest());
        var last = harness.Store.LatestRun("dx")!;

        Assert.Equal(("dx", 3, 100.0, 1.0), (latest.SurveyId, latest.Run, latest.Nps, latest.ResponseRate));
        Assert.Equal([0.0, 50.0, 100.0], latest.Trend);
        Assert.NotNull(last.TrendImageId);
        Assert.NotNull(harness.Get<PlatformBot.Storage.IImageStore>().Find(last.TrendImageId!));
        Assert.Contains("run 1: 0 → run 2: 50 → run 3: 100", LiteDbOutbox.ReadReply(harness.Outbox.Get($"survey:{last.Id}:results")!).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolvedTicket_GetsOneCsatAfterTheDelay_WithinTheSharedBudget()
    {
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana", "test:ben").Set("Surveys:AfterResolution:Enabled", "true"));
        await harness.SendAsync("dx");
        await harness.SendAsync("dx"); // ben's and ana's budget of two is now spent
        var ana = new UserRef("test", "ana");
        var resolved = harness.Time.GetUtcNow();

        Assert.True(harness.Runner.ScheduleAfterResolution("PLAT-7", new UserRef("test", "carl"), "VPN is down", resolved));
        Assert.False(harness.Runner.ScheduleAfterResolution("PLAT-7", new UserRef("test", "carl"), "VPN is down", resolved));
        Assert.True(harness.Runner.ScheduleAfterResolution("PLAT-8", ana, null, resolved));
        var early = harness.Runner.StartAfterResolutionsDue();
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.Get<SurveySweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await harness.Get<SurveySweep>().RunDueAsync(TestContext.Current.CancellationToken);
        var carl = harness.Store.Run("after-resolution-PLAT-7")!;
        harness.Runner.Answer(new UserRef("test", "carl"), carl.Id, new Pick(0, 4), null);
        harness.Runner.Close(carl.Id);
        harness.Runner.Close("after-resolution-PLAT-8");

        Assert.Equal(0, early);
        Assert.Equal((1, 0), (carl.Prompted, carl.SkippedFatigue));
        Assert.Equal(1, harness.Store.Run("after-resolution-PLAT-8")!.SkippedFatigue);
        Assert.Contains("VPN is down", LiteDbOutbox.ReadReply(harness.Outbox.Get(SurveyRunner.MessageKey(carl.Id, "test:carl", "prompt"))!).ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(new CsatFigure(1, 1, 4.0), harness.Get<ISurveyInsights>().AfterResolutionCsat(resolved));
    }

    [Fact]
    public async Task DueCsat_OfATicketOpenAgain_IsDroppedNotSent()
    {
        await using var harness = new SurveyHarness(SurveySettings.Nps("dx", "test:ana").Set("Surveys:AfterResolution:Enabled", "true"));
        var carl = new UserRef("test", "carl");
        var resolved = harness.Time.GetUtcNow();
        harness.Runner.ScheduleAfterResolution("PLAT-7", carl, "VPN is down", resolved);
        var tickets = Substitute.For<ITickets>();
        tickets.Find("PLAT-7").Returns(new TicketInfo("PLAT-7", "VPN is down", TicketPriority.P3, TicketState.InProgress, carl, null, resolved.AddHours(-2), null, null, Breached: false));
        using var sweep = new SurveySweep(harness.Runner, [tickets]); // its reopening not handled yet: the sweep asks Tickets
        harness.Time.Advance(TimeSpan.FromHours(1));

        await sweep.RunDueAsync(TestContext.Current.CancellationToken);

        Assert.Null(harness.Store.Run("after-resolution-PLAT-7"));
        Assert.Empty(harness.Store.AfterResolutionsDue(harness.Time.GetUtcNow().AddDays(30).UtcDateTime, 10));
    }
}
