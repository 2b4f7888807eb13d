using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Features.Knowledge;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary>Questions and feedback through the real host and the dev chat, over the shipped knowledge base.</summary>
public sealed class KnowledgeChatTests
{
    private static Dictionary<string, string?> Settings(string? folder = null)
    {
        var kb = ShippedKnowledgeBase.RepositoryFolder("kb");
        return new Dictionary<string, string?>
        {
            ["Knowledge:Folders:0"] = folder ?? kb,
            ["Knowledge:SynonymsFile"] = Path.Combine(kb, "synonyms.txt"),
            ["Knowledge:BaseUrl"] = "https://docs.example.com/platform/",
        };
    }

    [Fact]
    public async Task Ask_AnswersWithThreeSections_LinksHighlightsAndBothButtons()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a broken deploy?")).Single()!;

        var sections = answer["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "section").ToList();
        Assert.Equal(3, sections.Count);
        Assert.Contains("https://docs.example.com/platform/deploys/rollback#", (string)sections[0]!["html"]!, StringComparison.Ordinal);
        Assert.Contains("<strong>", (string)sections[0]!["html"]!, StringComparison.Ordinal);
        var buttons = TestBot.Buttons(answer).Select(b => (string)b["actionId"]!).ToList();
        Assert.Equal([KnowledgeRoutes.Solved, KnowledgeRoutes.NotQuite], buttons);
    }

    [Fact]
    public async Task QuestionAddressedToTheBot_IsAnsweredLikeAsk()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var answer = (await bot.SayAsync("alice", "my pod is in CrashLoopBackOff, why does it keep restarting?")).Single()!;

        Assert.Contains("Debug a pod that keeps restarting", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains(TestBot.Buttons(answer), b => (string?)b["actionId"] == KnowledgeRoutes.Solved);
    }

    [Fact]
    public async Task QuestionWithoutAGoodAnswer_SaysSo_AndOffersOnlyATicket()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var answer = (await bot.SayAsync("alice", "/ask kafka consumer lag keeps growing on the orders topic")).Single()!;

        Assert.Contains("no good answer", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Equal([KnowledgeRoutes.NotQuite], TestBot.Buttons(answer).Select(b => (string)b["actionId"]!));
        Assert.DoesNotContain(answer["blocks"]!.AsArray(), b => (string?)b!["type"] == "section");
    }

    [Theory]
    [InlineData("/ask \" * : ( ~ AND")]
    [InlineData("/ask 🚀🔥")]
    [InlineData("/ask デプロイをロールバックする方法")]
    [InlineData("((( AND ~ *:*")]
    public async Task OddQuestions_GetAnAnswerOrAPoliteRefusal(string text)
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var answer = (string)(await bot.SayAsync("alice", text)).Single()!["text"]!;

        Assert.DoesNotContain("something went wrong", answer, StringComparison.Ordinal);
        Assert.True(answer.Contains("Here is what", StringComparison.Ordinal) || answer.Contains("no good answer", StringComparison.Ordinal), answer);
    }

    [Fact]
    public async Task AskWithoutAQuestion_ExplainsUsage()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var answer = (string)(await bot.SayAsync("alice", "/ask")).Single()!["text"]!;

        Assert.Contains("/ask how do I roll back a deploy?", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThisSolvedIt_ByTheAsker_CountsAsSolved_AndReplacesTheButtons()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        var after = (await bot.ClickAsync("alice", answer, KnowledgeRoutes.Solved)).Single()!;

        Assert.Contains("Solved by the knowledge base", (string)after["text"]!, StringComparison.Ordinal);
        Assert.Empty(TestBot.Buttons(after));
        var report = Insights(bot).SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 1, 0), (report.Asked, report.SolvedByClick, report.Pending));
        Assert.Equal(1.0, report.SuccessRate);
    }

    [Fact]
    public async Task ThisSolvedIt_BySomeoneElse_IsAHelpfulVote_NotASolution()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        await bot.ClickAsync("bob", answer, KnowledgeRoutes.Solved);
        await bot.ClickAsync("bob", answer, KnowledgeRoutes.Solved);

        var insights = Insights(bot);
        var week = (TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal(0, insights.SelfService(week.Item1, week.Item2).SolvedByClick);
        Assert.Equal(1, insights.Articles(week.Item1, week.Item2).Single(a => a.Path == "deploys/rollback.md").HelpfulVotes);
    }

    [Fact]
    public async Task NotQuite_OpensTheTicketForm_PrefilledWithTheQuestionAndTheArticlesTried()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        var formMessage = (await bot.ClickAsync("alice", answer, KnowledgeRoutes.NotQuite)).Single()!;

        var form = formMessage["form"]!;
        Assert.Equal(KnowledgeRoutes.TicketForm, (string?)form["formId"]);
        var fields = form["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (string?)f!["initial"]);
        Assert.Equal(["title", "description", "priority", "category", "service"], fields.Keys);
        Assert.Equal("how do I roll back a deploy?", fields["title"]);
        Assert.Contains("Roll back a deploy (https://docs.example.com/platform/deploys/rollback#", fields["description"], StringComparison.Ordinal);
        var report = Insights(bot).SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0, 0), (report.NotSolved, report.Solved, report.Pending));
        Assert.Equal(0.0, report.SuccessRate);
    }

    [Fact]
    public async Task AnsweredQuestion_WithoutAVerdict_IsPendingDuringTheWindow_ThenSolved()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        await bot.SayAsync("alice", "/ask how do I roll back a deploy?");
        var insights = Insights(bot);
        var (from, to) = (TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));

        var during = insights.SelfService(from, to);
        bot.Time.Advance(TimeSpan.FromDays(3));
        var after = insights.SelfService(from, to);

        Assert.Equal((1, 0, (double?)null), (during.Pending, during.Solved, during.SuccessRate));
        Assert.Equal((0, 1, (double?)1.0), (after.Pending, after.SolvedBySilence, after.SuccessRate));
    }

    [Fact]
    public async Task TicketFiledWithinTheWindow_TurnsTheQuestionIntoATicket_NeverSolved()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        await bot.SayAsync("alice", "/ask how do I roll back a deploy?");
        var insights = Insights(bot);

        bot.Time.Advance(TimeSpan.FromHours(5));
        insights.TicketFiled("dev:alice", "PLAT-7", bot.Time.GetUtcNow());
        bot.Time.Advance(TimeSpan.FromDays(5));

        var report = insights.SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0), (report.NotSolved, report.Solved));
    }

    [Fact]
    public async Task TicketFiledHalfAnHourAfterTheQuestion_TurnsItIntoATicket()
    {
        // Stored dates came back in the server's local time: east of UTC the question looked asked after the ticket.
        await using var bot = await TestBot.StartAsync(settings: Settings());
        await bot.SayAsync("alice", "/ask how do I roll back a deploy?");
        var insights = Insights(bot);

        bot.Time.Advance(TimeSpan.FromMinutes(30));
        insights.TicketFiled("dev:alice", "PLAT-8", bot.Time.GetUtcNow());

        var report = insights.SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0), (report.NotSolved, report.Solved));
    }

    [Fact]
    public async Task QuestionWithoutAVerdict_IsStillPendingHalfAnHourBeforeTheWindowEnds()
    {
        // West of UTC, local-time dates made the window end hours early.
        await using var bot = await TestBot.StartAsync(settings: Settings());
        await bot.SayAsync("alice", "/ask how do I roll back a deploy?");
        var insights = Insights(bot);

        bot.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(30));

        var report = insights.SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0), (report.Pending, report.Solved));
    }

    [Fact]
    public async Task UnansweredQuestion_NeverCountsAsSolved()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());
        await bot.SayAsync("alice", "/ask kafka consumer lag keeps growing on the orders topic");

        bot.Time.Advance(TimeSpan.FromDays(10));

        var report = Insights(bot).SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 1, 0), (report.Asked, report.Unanswered, report.Solved));
        Assert.Equal(0.0, report.SuccessRate);
    }

    [Fact]
    public async Task Readiness_ReportsTheKnowledgeIndexLoaded()
    {
        await using var bot = await TestBot.StartAsync(settings: Settings());

        var report = await bot.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(c => c.Tags.Contains("ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Entries["knowledge"].Status);
        Assert.Equal("knowledge index loaded", report.Entries["knowledge"].Description);
    }

    [Fact]
    public async Task Index_LivesBesideTheDatabase_AndARestartReindexesNothingUnchanged()
    {
        var data = TempFolder.Create();
        await using (var first = await TestBot.StartAsync(data, settings: Settings()))
        {
            Assert.True(Directory.Exists(Path.Combine(data, KnowledgeBase.IndexFolderName)));
        }

        await using var second = await TestBot.StartAsync(data, settings: Settings());
        var result = second.Services.GetRequiredService<KnowledgeBase>().Sync();

        Assert.False(result.Changed);
        Assert.Equal(Directory.EnumerateFiles(ShippedKnowledgeBase.RepositoryFolder("kb"), "*.md", SearchOption.AllDirectories).Count(), result.Unchanged);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")] // Knowledge:Folders written with a trailing slash
    public async Task ArticleAddedWhileRunning_IsFoundWithoutARestart(string trailing)
    {
        var folder = TempFolder.Create();
        File.WriteAllText(Path.Combine(folder, "vpn.md"), "# VPN\n\nUse the WireGuard profile from the device portal.");
        await using var bot = await TestBot.StartAsync(settings: Settings(folder + trailing));
        var knowledge = bot.Services.GetRequiredService<KnowledgeBase>();

        File.WriteAllText(Path.Combine(folder, "kafka.md"), "---\ntitle: Kafka consumer lag\n---\n\n# Kafka consumer lag\n\nWhen consumer lag grows on a topic, scale the consumer group.");
        var found = await EventuallyAsync(() => knowledge.Search("kafka consumer lag is growing").Answerable);

        Assert.True(found, "the watcher did not index the new article within 10 s");
        Assert.Equal("kafka.md", knowledge.Search("kafka consumer lag is growing").Offered[0].Path);
    }

    [Fact]
    public async Task ArticleDeletedWhileRunning_IsNoLongerOffered()
    {
        var folder = TempFolder.Create();
        File.WriteAllText(Path.Combine(folder, "vpn.md"), "# VPN\n\nUse the WireGuard profile from the device portal.");
        File.WriteAllText(Path.Combine(folder, "kafka.md"), "# Kafka consumer lag\n\nWhen consumer lag grows on a topic, scale the consumer group.");
        await using var bot = await TestBot.StartAsync(settings: Settings(folder));
        var knowledge = bot.Services.GetRequiredService<KnowledgeBase>();

        File.Delete(Path.Combine(folder, "kafka.md"));
        knowledge.Refresh(Path.Combine(folder, "kafka.md"));

        Assert.DoesNotContain(knowledge.Search("kafka consumer lag").Offered, a => a.Path == "kafka.md");
    }

    [Fact]
    public async Task PlatformKbStale_ListsOldArticlesByOwner_ForAdmins()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?>(Settings()) { ["Team:Admins:0"] = "dev:root" });

        var text = (string)(await bot.SayAsync("root", "/platform kb stale")).Single()!["text"]!;

        Assert.Contains("not updated for more than 180 days", text, StringComparison.Ordinal);
        Assert.Contains("priya", text, StringComparison.Ordinal);
        Assert.Contains("access/vpn.md, updated 2025-12-01", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deploys/rollback.md", text, StringComparison.Ordinal);
    }

    private static IKnowledgeInsights Insights(TestBot bot) => bot.Services.GetRequiredService<IKnowledgeInsights>();

    /// <summary>Waits for the file watcher (real file-system events, not business time) by polling, up to 10 s.</summary>
    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return condition();
    }
}
