using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Surveys;

/// <summary>Surveys end to end in the dev chat: the real host, a real LiteDB file, the outbox, DMs and clicks.</summary>
public sealed class SurveyChatTests
{
    private const string Admin = "priya";

    [Fact]
    public async Task ClickNine_ThenTen_ResultsShowNps100WithResponseRate()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice", "dev:bob").ToDictionary());

        var sent = await bot.SayAsync(Admin, "/survey send dx");
        await bot.DeliverOutboxAsync();
        var prompt = await LastAsync(bot, "alice");
        await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, ValueOf(prompt, "9"));
        var changed = await bot.ClickAsync("alice", await LastAsync(bot, "alice"), SurveysFeature.AnswerAction, ValueOf(prompt, "10"));
        var results = Text(await bot.SayAsync(Admin, "/survey results dx"));

        Assert.Contains("2 of 2 people asked", Text(sent), StringComparison.Ordinal);
        Assert.Equal("primary", (string?)TestBot.Buttons(changed[0]!).Single(b => (string?)b["label"] == "10")["style"]);
        Assert.Contains("NPS: 100", results, StringComparison.Ordinal);
        Assert.Contains("Response rate: 50% (1 of 2)", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_PostsResultsWithAChartTheHostServes()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");
        await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, ValueOf(prompt, "8"));

        await bot.SayAsync(Admin, "/survey close dx");
        await bot.DeliverOutboxAsync();
        var posted = (await bot.ConversationAsync("platform")).Last()!;
        var image = posted["blocks"]!.AsArray().First(b => (string?)b!["type"] == "image")!;
        using var png = await bot.Http.GetAsync((string?)image["url"], TestContext.Current.CancellationToken);
        var bytes = await png.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Contains("NPS: 0", (string?)posted["text"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Fact]
    public async Task UnknownImage_IsNotFound()
    {
        await using var bot = await TestBot.StartAsync();

        using var response = await bot.Http.GetAsync("/images/0123456789abcdef0123456789abcdef.png", TestContext.Current.CancellationToken);
        using var traversal = await bot.Http.GetAsync("/images/..%2Fplatformbot.db.png", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task AnswerAfterClose_GetsThisSurveyHasClosed_AndIsNotCounted()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");
        await bot.SayAsync(Admin, "/survey close dx");

        var late = await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, ValueOf(prompt, "10"));

        Assert.Contains("has closed", Text(late), StringComparison.Ordinal);
        Assert.Contains("Response rate: 0% (0 of 1)", Text(await bot.SayAsync(Admin, "/survey results dx")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAfterOpenForEnds_BeforeTheSweepClosedIt_IsRefusedAsClosed()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").For("dx", "OpenFor", "01:00:00").ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");

        bot.Time.Advance(TimeSpan.FromHours(1));
        var late = await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, ValueOf(prompt, "10"));

        Assert.Contains("has closed", Text(late), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("|0|11")] // NPS runs 0–10
    [InlineData("|0|-1")]
    [InlineData("|5|3")] // no such question
    [InlineData("|0")]
    [InlineData("garbage")]
    public async Task ForgedValue_IsRefused_AndNothingIsStored(string forgedTail)
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");
        var runId = ValueOf(prompt, "0").Split('|')[0];

        var answer = await RawClickAsync(bot, "alice", prompt, SurveysFeature.AnswerAction, forgedTail.StartsWith('|') ? runId + forgedTail : forgedTail);

        Assert.Contains("not recorded", Text(answer), StringComparison.Ordinal);
        Assert.Empty(Store(bot).Responses(runId));
    }

    [Fact]
    public async Task AnotherRunsId_IsRefused_AndNothingIsStored()
    {
        var settings = SurveySettings.Nps("dx", "dev:alice").Survey("ops", ["dev:bob"], ("csat", "How were the ops tools?"));
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await bot.SayAsync(Admin, "/survey send dx");
        await bot.SayAsync(Admin, "/survey send ops");
        await bot.DeliverOutboxAsync();
        var alicePrompt = await LastAsync(bot, "alice");
        var opsRun = ValueOf(await LastAsync(bot, "bob"), "3").Split('|')[0];

        var answer = await RawClickAsync(bot, "alice", alicePrompt, SurveysFeature.AnswerAction, $"{opsRun}|0|5");

        Assert.Contains("not recorded", Text(answer), StringComparison.Ordinal);
        Assert.Empty(Store(bot).Responses(opsRun));
    }

    [Fact]
    public async Task ButtonOfOneRun_InThePromptOfAnother_IsRefused()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").Survey("ops", ["dev:alice"], ("csat", "Ops tools?")).ToDictionary());
        var dxPrompt = await SendAsync(bot, "dx", "alice");
        await bot.SayAsync(Admin, "/survey send ops");
        await bot.DeliverOutboxAsync();
        var opsRun = ValueOf(await LastAsync(bot, "alice"), "3").Split('|')[0];

        var answer = await RawClickAsync(bot, "alice", dxPrompt, SurveysFeature.AnswerAction, $"{opsRun}|0|3");

        Assert.Contains("not recorded", Text(answer), StringComparison.Ordinal);
        Assert.Empty(Store(bot).Responses(opsRun));
    }

    [Fact]
    public async Task SomeoneWhoWasNotAsked_CannotAnswer()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        await bot.SayAsync(Admin, "/survey send dx");
        await bot.DeliverOutboxAsync();
        var runId = ValueOf(await LastAsync(bot, "alice"), "0").Split('|')[0];
        var mallory = (await bot.SayAsync("mallory", "hello", "dm:mallory"))[0]!;

        var answer = await RawClickAsync(bot, "mallory", mallory, SurveysFeature.AnswerAction, $"{runId}|0|10");

        Assert.Contains("not recorded", Text(answer), StringComparison.Ordinal);
        Assert.Empty(Store(bot).Responses(runId));
    }

    [Theory]
    [InlineData("/survey send dx")]
    [InlineData("/survey close dx")]
    [InlineData("/survey results dx")]
    public async Task NonAdmin_IsToldTheCommandIsForAdmins_AndNothingHappens(string command)
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());

        var answer = Text(await bot.SayAsync("alice", command));
        await bot.DeliverOutboxAsync();

        Assert.Contains("for the platform team's admins", answer, StringComparison.Ordinal);
        Assert.Empty(Store(bot).OpenRuns());
        Assert.Empty(await bot.ConversationAsync("dm:alice", "alice"));
    }

    [Fact]
    public async Task UnknownSurvey_IsNamedWithTheKnownOnes()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());

        var answer = Text(await bot.SayAsync(Admin, "/survey send nope"));

        Assert.Contains("There is no survey nope. Known surveys: dx, dx-pulse.", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsTheNextRunInTheSurveysZone()
    {
        var settings = SurveySettings.Nps("dx", "dev:alice").For("dx", "Schedule", "0 0 10 ? * TUE").For("dx", "TimeZone", "America/New_York");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());

        var answer = Text(await bot.SayAsync("alice", "/survey list"));

        Assert.Contains("Next run: Tue 24 Nov 10:00 (America/New_York)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reminder_GoesOnlyToPeopleWhoHaveNotAnswered()
    {
        var settings = SurveySettings.Nps("dx", "dev:alice", "dev:bob").For("dx", "ReminderAfter", "1.00:00:00");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");
        await bot.ClickAsync("alice", prompt, SurveysFeature.AnswerAction, ValueOf(prompt, "7"));

        bot.Time.Advance(TimeSpan.FromDays(1));
        await Sweep(bot);
        await Sweep(bot);
        await bot.DeliverOutboxAsync();

        Assert.Single(await bot.ConversationAsync("dm:alice", "alice"));
        var bob = await bot.ConversationAsync("dm:bob", "bob");
        Assert.Equal(2, bob.Count);
        Assert.Contains("reminder", (string?)bob.Last()!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepAfterOpenFor_ClosesTheRun_AndPostsResultsOnce()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        await bot.SayAsync(Admin, "/survey send dx");
        await bot.DeliverOutboxAsync();

        bot.Time.Advance(TimeSpan.FromDays(3));
        await Sweep(bot);
        await Sweep(bot);
        await bot.DeliverOutboxAsync();

        Assert.Empty(Store(bot).OpenRuns());
        Assert.Single(await bot.ConversationAsync("platform"), m => ((string?)m!["text"])!.Contains("results of run 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThirdSurveyInTheWindow_IsSkippedForFatigue_AndTheFiguresSaySo()
    {
        await using var bot = await TestBot.StartAsync(settings: SurveySettings.Nps("dx", "dev:alice").ToDictionary());
        await bot.SayAsync(Admin, "/survey send dx");
        await bot.SayAsync(Admin, "/survey send dx");

        var third = Text(await bot.SayAsync(Admin, "/survey send dx"));
        await bot.DeliverOutboxAsync();

        Assert.Contains("0 of 1 people asked", third, StringComparison.Ordinal);
        Assert.Contains("Skipped: 1 (fatigue budget)", third, StringComparison.Ordinal);
        Assert.Equal(2, (await bot.ConversationAsync("dm:alice", "alice")).Count);
        Assert.Contains("1 skipped (survey fatigue budget)", Text(await bot.SayAsync(Admin, "/survey results dx")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelAudience_AsksThePeopleWhoPostedThere()
    {
        var settings = new SurveySettings().Survey("dx", [], ("csat", "How is the support channel?")).For("dx", "Audience:Channels:0", "dev:support");
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await bot.SayAsync("alice", "hello", "support");
        await bot.SayAsync("bob", "hi", "support");
        await bot.SayAsync("carol", "elsewhere", "random");

        var sent = Text(await bot.SayAsync(Admin, "/survey send dx", "dm:" + Admin));
        await bot.DeliverOutboxAsync();

        Assert.Contains("2 of 2 people asked", sent, StringComparison.Ordinal);
        Assert.Single(await bot.ConversationAsync("dm:bob", "bob"));
        Assert.Empty(await bot.ConversationAsync("dm:carol", "carol"));
    }

    [Fact]
    public async Task Comment_IsSavedThroughTheForm_AndShownInTheResults()
    {
        var settings = new SurveySettings().Survey("dx", ["dev:alice"], ("nps", "Recommend?"), ("text", "What should we fix first?"));
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        var prompt = await SendAsync(bot, "dx", "alice");

        var form = (await bot.ClickAsync("alice", prompt, SurveysFeature.CommentAction))[0]!;
        var saved = await bot.SubmitAsync("alice", form, new Dictionary<string, string> { ["text"] = "The *CI* queue <b>is</b> slow" });

        Assert.Contains("comment is saved", Text(saved), StringComparison.Ordinal);
        Assert.Contains("“The *CI* queue <b>is</b> slow” (alice)", Text(await bot.SayAsync(Admin, "/survey results dx")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiChoice_TogglesOptions()
    {
        var settings = new SurveySettings().Survey("dx", ["dev:alice"], ("multi", "What slows you down?"));
        await using var bot = await TestBot.StartAsync(settings: settings.ToDictionary());
        await bot.SayAsync(Admin, "/survey send dx");
        await bot.DeliverOutboxAsync();

        var prompt = await LastAsync(bot, "alice");
        prompt = (await bot.ClickAsync("alice", prompt, SurveysFeature.ToggleAction, ValueOf(prompt, "CI")))[0]!;
        prompt = (await bot.ClickAsync("alice", prompt, SurveysFeature.ToggleAction, ValueOf(prompt, "☐ Docs")))[0]!;
        await bot.ClickAsync("alice", prompt, SurveysFeature.ToggleAction, ValueOf(prompt, "☑ CI"));
        var results = Text(await bot.SayAsync(Admin, "/survey results dx"));

        Assert.Contains("• CI: 0", results, StringComparison.Ordinal);
        Assert.Contains("• Docs: 1", results, StringComparison.Ordinal);
    }

    /// <summary>An admin sends the survey; the outbox delivers; returns the prompt in the person's DM.</summary>
    internal static async Task<JsonNode> SendAsync(TestBot bot, string surveyId, string user)
    {
        await bot.SayAsync(Admin, "/survey send " + surveyId);
        await bot.DeliverOutboxAsync();
        return await LastAsync(bot, user);
    }

    internal static ISurveyStore Store(TestBot bot) => bot.Services.GetRequiredService<ISurveyStore>();

    internal static Task<int> Sweep(TestBot bot) => bot.Services.GetRequiredService<SurveySweep>().RunDueAsync(TestContext.Current.CancellationToken);

    internal static async Task<JsonNode> LastAsync(TestBot bot, string user) => (await bot.ConversationAsync("dm:" + user, user)).Last()!;

    internal static string ValueOf(JsonNode message, string label) =>
        (string?)TestBot.Buttons(message).First(b => (string?)b["label"] == label)["value"] ?? throw new InvalidOperationException($"No button {label}");

    internal static string Text(JsonArray messages) => string.Join("\n", messages.Select(m => (string?)m!["text"]));

    /// <summary>A click with any value, as a forger would send it to the dev chat's API.</summary>
    internal static async Task<JsonArray> RawClickAsync(TestBot bot, string user, JsonNode message, string actionId, string value)
    {
        var body = new JsonObject
        {
            ["user"] = user,
            ["conversation"] = (string?)message["conversation"],
            ["messageId"] = (string?)message["id"],
            ["actionId"] = actionId,
            ["value"] = value,
        };
        var response = await bot.Http.PostAsJsonAsync("/api/dev/actions", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["messages"]!.AsArray();
    }
}
