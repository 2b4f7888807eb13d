using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Conversations;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.OfficeHours;

public sealed class OfficeHoursTests
{
    // The session: every other Thursday 15:00 Berlin from 26 Nov 2026 (14:00 UTC), an hour long; TestBot starts Monday 23 Nov 08:00 UTC.
    private static readonly DateTimeOffset SessionStart = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings(string? draftsFolder = null, string zone = "Europe/Berlin") => new()
    {
        ["OfficeHours:Sessions:platform:Title"] = "Platform office hours",
        ["OfficeHours:Sessions:platform:Hosts:0"] = "dana",
        ["OfficeHours:Sessions:platform:Channel"] = "dev:office-hours",
        ["OfficeHours:Sessions:platform:Schedule"] = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=15",
        ["OfficeHours:Sessions:platform:TimeZone"] = zone,
        ["OfficeHours:Sessions:platform:Start"] = "2026-11-26",
        ["OfficeHours:Sessions:platform:Duration"] = "01:00:00",
        ["OfficeHours:Sessions:platform:Link"] = "https://meet.example/platform",
        ["Knowledge:Folders:0"] = draftsFolder ?? TempFolder.Create(),
    };

    /// <summary>A second session: every Tuesday 11:00 Berlin from 1 Dec 2026, so its next meeting comes after the platform one.</summary>
    private static Dictionary<string, string?> WithK8s(Dictionary<string, string?> settings)
    {
        settings["OfficeHours:Sessions:k8s:Title"] = "Kubernetes office hours";
        settings["OfficeHours:Sessions:k8s:Hosts:0"] = "erin";
        settings["OfficeHours:Sessions:k8s:Channel"] = "dev:office-hours";
        settings["OfficeHours:Sessions:k8s:Schedule"] = "FREQ=WEEKLY;BYDAY=TU;BYHOUR=11";
        settings["OfficeHours:Sessions:k8s:TimeZone"] = "Europe/Berlin";
        settings["OfficeHours:Sessions:k8s:Start"] = "2026-12-01";
        settings["OfficeHours:Sessions:k8s:Duration"] = "01:00:00";
        settings["OfficeHours:Sessions:k8s:Link"] = "https://meet.example/k8s";
        return settings;
    }

    private static IReadOnlyList<string> ActiveTopicsOf(TestBot bot, string user) =>
        [.. bot.Services.GetRequiredService<OfficeHoursStore>().ActiveOf("dev:" + user).Select(t => $"{t.Session}: {t.Topic}")];

    /// <summary>Both sessions set up, and the person queued for the next meeting of each.</summary>
    private static async Task<TestBot> QueuedForPlatformAndK8sAsync(string user)
    {
        var bot = await TestBot.StartAsync(settings: WithK8s(Settings()));
        await bot.SayAsync(user, "/officehours join Canary deploys");
        await bot.SayAsync(user, "/officehours join @k8s Pod quotas");
        return bot;
    }

    private static Task<TestBot> StartAsync(ITopicFollowUps? followUps = null, string? folder = null, FakeTimeProvider? time = null, string zone = "Europe/Berlin") =>
        TestBot.StartAsync(folder, time, Settings(zone: zone), s =>
        {
            if (followUps is not null)
            {
                s.AddSingleton(followUps);
            }
        });

    private static async Task SweepAsync(TestBot bot)
    {
        await bot.Services.GetRequiredService<OfficeHoursSweep>().RunDueAsync(TestContext.Current.CancellationToken);
        await bot.DeliverOutboxAsync();
    }

    /// <summary>Topics queued for the first session and not reached: after it, the host's card to roll them or make tickets.</summary>
    private static async Task<JsonNode> FollowUpAfterTheSessionAsync(TestBot bot, params (string User, string Topic)[] topics)
    {
        foreach (var (user, topic) in topics)
        {
            await bot.SayAsync(user, "/officehours join " + topic);
        }

        bot.Time.SetUtcNow(SessionStart + TimeSpan.FromMinutes(61));
        await SweepAsync(bot);
        await SweepAsync(bot); // a second sweep sends the card no second time
        return (await bot.ConversationAsync("dm:dana", "dana")).Single()!;
    }

    private static string Text(JsonArray messages) => string.Join("\n", messages.Select(m => (string)m!["text"]!));

    [Fact]
    public async Task List_ShowsTheNextSession_InTheReadersAndTheSessionsZone()
    {
        await using var bot = await StartAsync();

        var answer = Text(await bot.SayAsync("alice", "/officehours"));

        Assert.Contains("Thu 26 Nov 15:00 (Europe/Berlin)", answer, StringComparison.Ordinal);
        Assert.Contains("Platform office hours", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_GivesPlaceAndExpectedTime_AndJoiningTwiceChangesNothing()
    {
        await using var bot = await StartAsync();
        await bot.SayAsync("bob", "/officehours join How do I rotate DB credentials?");

        var alice = Text(await bot.SayAsync("alice", "/officehours join Canary deploys for PLAT-12"));
        var twice = Text(await bot.SayAsync("alice", "/officehours join something else"));
        var queue = Text(await bot.SayAsync("alice", "/officehours queue"));

        Assert.Contains("number 2", alice, StringComparison.Ordinal);
        Assert.Contains("around 15:10", alice, StringComparison.Ordinal);
        Assert.Contains("already in the queue", twice, StringComparison.Ordinal);
        Assert.Contains("1. How do I rotate DB credentials? — someone", queue, StringComparison.Ordinal);
        Assert.Contains("2. Canary deploys for PLAT-12 — alice", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("something else", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinNamingASessionWithoutATopic_AsksForTheTopicForThatSession_AndQueuesNothing()
    {
        await using var bot = await TestBot.StartAsync(settings: WithK8s(Settings()));

        var answer = Text(await bot.SayAsync("alice", "/officehours join @k8s"));

        Assert.Empty(ActiveTopicsOf(bot, "alice"));
        Assert.Contains("Tell me your topic for Kubernetes office hours: /officehours join @k8s <what you want to discuss>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_WhenNotQueued_SaysSo()
    {
        await using var bot = await StartAsync();

        var answer = Text(await bot.SayAsync("alice", "/officehours leave"));

        Assert.Contains("not in any office-hours queue", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_InTwoQueues_NamingNone_AsksWhich_AndLeavesNothing()
    {
        await using var bot = await QueuedForPlatformAndK8sAsync("alice");

        var answer = (await bot.SayAsync("alice", "/officehours leave")).Single()!;

        Assert.Equal(["platform: Canary deploys", "k8s: Pod quotas"], ActiveTopicsOf(bot, "alice"));
        Assert.Equal(2, TestBot.Buttons(answer).Count(b => (string?)b["actionId"] == "officehours.leave"));
    }

    [Fact]
    public async Task LeaveButton_OfTheQuestion_LeavesThatQueueOnly()
    {
        await using var bot = await QueuedForPlatformAndK8sAsync("alice");
        var question = (await bot.SayAsync("alice", "/officehours leave")).Single()!;
        var k8s = TestBot.Buttons(question).Where(b => (string?)b["actionId"] == "officehours.leave").Last();

        var answer = Text(await bot.ClickAsync("alice", question, "officehours.leave", (string?)k8s["value"]));

        Assert.Equal(["platform: Canary deploys"], ActiveTopicsOf(bot, "alice"));
        Assert.Contains("You left the queue for Kubernetes office hours", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveNamingASession_LeavesOnlyThatQueue_AndNamesIt()
    {
        await using var bot = await QueuedForPlatformAndK8sAsync("alice");

        var answer = Text(await bot.SayAsync("alice", "/officehours leave @k8s"));

        Assert.Equal(["platform: Canary deploys"], ActiveTopicsOf(bot, "alice"));
        Assert.Contains("You left the queue for Kubernetes office hours (Tue 1 Dec 11:00 (Europe/Berlin)). Your topic: \"Pod quotas\". You're still in 1 other queue(s)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentJoins_GetDistinctPlaces_InArrivalOrder()
    {
        await using var bot = await StartAsync();
        var people = Enumerable.Range(1, 12).Select(i => $"dev{i}").ToList();

        await Task.WhenAll(people.Select(p => bot.SayAsync(p, $"/officehours join topic of {p}")));
        var store = bot.Services.GetRequiredService<OfficeHoursStore>();
        var queue = store.Queue($"platform@{SessionStart.UtcDateTime:yyyy-MM-ddTHH:mmZ}");

        Assert.Equal(12, queue.Count);
        Assert.Equal(people.Order(), queue.Select(t => t.UserName).Order());
        Assert.Equal(queue.Select(t => t.Id), queue.OrderBy(t => t.JoinedAt).ThenBy(t => t.Id).Select(t => t.Id));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-11-26T14:00:00Z")]
    [InlineData("America/New_York", "2026-11-26T20:00:00Z")]
    public async Task Announcements_GoOutADayBefore_TenMinutesBefore_AndAtTheStart_EachOnce(string zone, string start)
    {
        var startsAt = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        await using var bot = await StartAsync(zone: zone);

        bot.Time.SetUtcNow(startsAt - TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        await SweepAsync(bot);
        Assert.Empty(await bot.ConversationAsync("office-hours"));

        bot.Time.SetUtcNow(startsAt - TimeSpan.FromDays(1));
        await SweepAsync(bot);
        await SweepAsync(bot);
        bot.Time.SetUtcNow(startsAt - TimeSpan.FromMinutes(10));
        await SweepAsync(bot);
        bot.Time.SetUtcNow(startsAt);
        await SweepAsync(bot);
        await SweepAsync(bot);

        var posts = await bot.ConversationAsync("office-hours");
        Assert.Equal(3, posts.Count);
        Assert.StartsWith("Office hours start now", (string)posts[2]!["text"]!, StringComparison.Ordinal);
        Assert.Contains(TestBot.Buttons(posts[0]!), b => (string?)b["actionId"] == "officehours.join");
    }

    [Fact]
    public async Task JoinButton_OnTheAnnouncement_OpensAForm_ThatQueuesTheTopic()
    {
        await using var bot = await StartAsync();
        bot.Time.SetUtcNow(SessionStart - TimeSpan.FromDays(1));
        await SweepAsync(bot);
        var announcement = (await bot.ConversationAsync("office-hours"))[0]!;

        var form = (await bot.ClickAsync("alice", announcement, "officehours.join")).Single()!;
        var refused = (await bot.SubmitAsync("alice", form, new Dictionary<string, string> { ["topic"] = " " })).Single()!;
        var joined = Text(await bot.SubmitAsync("alice", refused, new Dictionary<string, string> { ["topic"] = "Helm chart review" }));

        Assert.NotNull(refused["form"]!["errors"]!["topic"]);
        Assert.Contains("number 1", joined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_ByANonHost_IsRefused_AndByTheHost_PingsTheNextPeople()
    {
        await using var bot = await StartAsync();
        await bot.SayAsync("alice", "/officehours join first");
        await bot.SayAsync("bob", "/officehours join second");
        bot.Time.SetUtcNow(SessionStart);

        var refused = Text(await bot.SayAsync("alice", "/officehours next"));
        var called = Text(await bot.SayAsync("dana", "/officehours next"));
        await bot.DeliverOutboxAsync();

        Assert.Contains("Only a session's hosts", refused, StringComparison.Ordinal);
        Assert.Contains("alice", called, StringComparison.Ordinal);
        Assert.Contains("It's your turn", Text(await bot.ConversationAsync("dm:alice", "alice")), StringComparison.Ordinal);
        var bobDm = Text(await bot.ConversationAsync("dm:bob", "bob"));
        Assert.Contains("You're next", bobDm, StringComparison.Ordinal);
        Assert.Contains("https://meet.example/platform", bobDm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTheSession_HostRollsOpenTopics_ToTheNextSession_AtTheFront()
    {
        await using var bot = await StartAsync();
        var followUp = await FollowUpAfterTheSessionAsync(bot, ("alice", "first"), ("bob", "second"));
        await bot.SayAsync("carol", "/officehours join new in the next one");

        var rolled = Text(await bot.ClickAsync("dana", followUp, "officehours.roll-all"));
        var queue = Text(await bot.SayAsync("carol", "/officehours queue"));

        Assert.Contains("Rolled 2 topic(s) to Thu 10 Dec 15:00", rolled, StringComparison.Ordinal);
        Assert.Matches("1\\. first.*\\n2\\. second.*\\n3\\. new in the next one", queue);
    }

    [Fact]
    public async Task RollAll_OwnerAlreadyQueuedForTheNextSession_KeepsBothTopics_AndSaysSo()
    {
        await using var bot = await StartAsync();
        var followUp = await FollowUpAfterTheSessionAsync(bot, ("carol", "Helm chart review"), ("bob", "second"));
        await bot.SayAsync("carol", "/officehours join Pod quotas");

        var rolled = Text(await bot.ClickAsync("dana", followUp, "officehours.roll-all"));
        var next = bot.Services.GetRequiredService<OfficeHoursStore>().Queue("platform@2026-12-10T14:00Z").Where(t => t.IsActive);

        Assert.Equal(["carol: Helm chart review; also: Pod quotas", "bob: second"], next.Select(t => $"{t.UserName}: {t.Topic}"));
        Assert.Contains("Rolled 1 topic(s) to Thu 10 Dec 15:00", rolled, StringComparison.Ordinal);
        Assert.Contains("carol had another topic queued there already", rolled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTheSession_HostTurnsOpenTopicsIntoTickets()
    {
        var followUps = new FakeFollowUps();
        await using var bot = await StartAsync(followUps);
        await bot.SayAsync("alice", "/officehours join VPN drops every hour");
        bot.Time.SetUtcNow(SessionStart + TimeSpan.FromMinutes(61));
        await SweepAsync(bot);
        var followUp = (await bot.ConversationAsync("dm:dana", "dana")).Single()!;

        var answer = Text(await bot.ClickAsync("dana", followUp, "officehours.ticket-all"));
        var again = Text(await bot.ClickAsync("dana", followUp, "officehours.ticket-all"));

        Assert.Contains("PLAT-1", answer, StringComparison.Ordinal);
        Assert.Equal([("dev:alice", "VPN drops every hour")], followUps.Tickets);
        Assert.Contains("No open topics", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MakeTickets_FilesRealTickets_AndTheRequesterGetsTheCard()
    {
        await using var bot = await StartAsync();
        await bot.SayAsync("alice", "/officehours join Builds time out on the arm runners");
        bot.Time.SetUtcNow(SessionStart + TimeSpan.FromMinutes(61));
        await SweepAsync(bot);
        var followUp = (await bot.ConversationAsync("dm:dana", "dana")).Single()!;

        var answer = Text(await bot.ClickAsync("dana", followUp, "officehours.ticket-all"));
        await bot.DeliverOutboxAsync();
        var mine = Text(await bot.SayAsync("alice", "/ticket list mine"));
        var card = (await bot.ConversationAsync("dm:alice", "alice")).Single()!;

        Assert.Matches("Filed 1 ticket\\(s\\) for the open topics: PLAT-\\d+", answer);
        Assert.Contains("Builds time out on the arm runners", mine, StringComparison.Ordinal);
        Assert.StartsWith("ticket:PLAT-", (string)card["cardKey"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnsweredTopic_BecomesAKnowledgeBaseDraft_WithFrontMatter()
    {
        var kb = TempFolder.Create();
        await using var bot = await TestBot.StartAsync(settings: Settings(kb));
        await bot.SayAsync("alice", "/officehours join title: \"quoted\" ---");
        bot.Time.SetUtcNow(SessionStart);
        await bot.SayAsync("dana", "/officehours next");

        var done = (await bot.SayAsync("dana", "/officehours done Use the rotate-credentials job in CI")).Single()!;
        var drafted = Text(await bot.ClickAsync("dana", done, "officehours.draft"));

        var file = Assert.Single(Directory.GetFiles(Path.Combine(kb, "drafts")));
        var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        Assert.Contains(Path.GetFileName(file), drafted, StringComparison.Ordinal);
        Assert.StartsWith("---\ntitle: \"title: \\\"quoted\\\" ---\"\n", text, StringComparison.Ordinal);
        Assert.Contains("Use the rotate-credentials job in CI", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeTheSession_TheDocsAnswerIsOfferedPrivately_AndCanEndTheWait()
    {
        var followUps = new FakeFollowUps { Answer = new DocsAnswer("Rotating database credentials", "https://docs.example/db#rotate", "Run the rotate job…") };
        await using var bot = await StartAsync(followUps);
        await bot.SayAsync("alice", "/officehours join How do I rotate DB credentials?");
        bot.Time.SetUtcNow(SessionStart - TimeSpan.FromHours(2));
        await SweepAsync(bot);
        await SweepAsync(bot);

        var offer = (await bot.ConversationAsync("dm:alice", "alice")).Single()!;
        await bot.ClickAsync("alice", offer, "officehours.docs-solved");
        var queue = Text(await bot.SayAsync("alice", "/officehours queue"));
        var stats = Text(await bot.SayAsync("alice", "/officehours stats"));

        Assert.Contains("Rotating database credentials", (string)offer["text"]!, StringComparison.Ordinal);
        Assert.Contains("is empty", queue, StringComparison.Ordinal);
        Assert.Contains("answered by the docs before the session: 1", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeTheSession_TheRealKnowledgeBase_OffersItsBestSection()
    {
        var settings = Settings(Path.Combine(Repository.Root, "kb"));
        settings["Knowledge:SynonymsFile"] = Path.Combine(Repository.Root, "kb", "synonyms.txt");
        await using var bot = await TestBot.StartAsync(settings: settings);
        await bot.SayAsync("alice", "/officehours join How do I roll back a deployment?");
        bot.Time.SetUtcNow(SessionStart - TimeSpan.FromHours(2));
        await SweepAsync(bot);

        var offer = (await bot.ConversationAsync("dm:alice", "alice")).Single()!;

        Assert.Contains("this may already answer", (string)offer["text"]!, StringComparison.Ordinal);
        Assert.Contains(TestBot.Buttons(offer), b => (string?)b["actionId"] == "officehours.docs-solved");
    }

    [Fact]
    public async Task Stats_CountSessionsAttendeesAnswers_AndTheMedianWait()
    {
        await using var bot = await StartAsync();
        await bot.SayAsync("alice", "/officehours join a");
        bot.Time.Advance(TimeSpan.FromHours(2));
        await bot.SayAsync("bob", "/officehours join b");
        bot.Time.SetUtcNow(SessionStart);
        await bot.SayAsync("dana", "/officehours next");
        await bot.SayAsync("dana", "/officehours done");
        await bot.SayAsync("dana", "/officehours next");
        await bot.SayAsync("dana", "/officehours done");

        var stats = Text(await bot.SayAsync("alice", "/officehours stats"));

        // Waits: 78 h (alice joined Mon 08:00) and 76 h (bob at 10:00); median 77 h.
        Assert.Contains("Sessions held: 1 · attendees: 2 · topics answered: 2", stats, StringComparison.Ordinal);
        Assert.Contains("Median wait from join to answer: 77 h", stats, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://bot.example.com/", "https://bot.example.com/officehours.ics")]
    [InlineData("", null)] // not configured (production's default): no link to a machine only the bot can reach
    public async Task CalendarLink_IsThePublicAddress_OrNone(string publicBaseUrl, string? link)
    {
        var settings = Settings();
        settings["OfficeHours:PublicBaseUrl"] = publicBaseUrl;
        await using var bot = await TestBot.StartAsync(settings: settings);

        var list = (await bot.SayAsync("alice", "/officehours")).ToJsonString();

        Assert.DoesNotContain("localhost", list, StringComparison.Ordinal);
        if (link is null)
        {
            Assert.DoesNotContain("officehours.ics", list, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(link, list, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CalendarFeed_HasTheRecurringSession()
    {
        await using var bot = await StartAsync();

        var ics = await bot.Http.GetStringAsync("/officehours.ics", TestContext.Current.CancellationToken);

        Assert.Contains("BEGIN:VEVENT", ics, StringComparison.Ordinal);
        Assert.Contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=15", ics, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Platform office hours", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20261126T150000", ics, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSchedule_StopsTheStart_NamingTheKey()
    {
        var settings = Settings();
        settings["OfficeHours:Sessions:platform:Schedule"] = "FREQ=FORTNIGHTLY";
        var app = PlatformBotHost.Build(["--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}", .. settings.Select(s => $"--{s.Key}={s.Value}")]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("OfficeHours:Sessions:platform:Schedule", string.Join("\n", error.Failures), StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    private sealed class FakeFollowUps : ITopicFollowUps
    {
        public List<(string User, string Summary)> Tickets { get; } = [];

        public DocsAnswer? Answer { get; init; }

        public Task<string?> CreateTicketAsync(UserRef requester, string summary, string description, string idempotencyKey, CancellationToken cancellationToken)
        {
            Tickets.Add((requester.Key, summary));
            return Task.FromResult<string?>($"PLAT-{Tickets.Count}");
        }

        public Task<DocsAnswer?> BestAnswerAsync(string question, CancellationToken cancellationToken) => Task.FromResult(Answer);
    }
}
