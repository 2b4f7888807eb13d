using System.Text.RegularExpressions;
using Markdig;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Events;
using PlatformBot.Features.Knowledge;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary>The loop through Tickets: "Not quite" files a real ticket, and its resolution comes back as a knowledge-base draft.</summary>
public sealed class KnowledgeTicketTests
{
    [Fact]
    public async Task NotQuite_ThenTheForm_FilesATicket_AndTheQuestionCountsAsATicket()
    {
        await using var bot = await StartAsync(TempFolder.Create());
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;
        var formMessage = (await bot.ClickAsync("alice", answer, KnowledgeRoutes.NotQuite)).Single()!;

        await bot.SubmitAsync("alice", formMessage, FormValues(formMessage));
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);

        var question = bot.Services.GetRequiredService<IKnowledgeStore>().AskedBy("dev:alice", DateTime.MinValue).Single();
        Assert.Equal(QuestionOutcome.Ticket, question.Outcome);
        Assert.Equal("PLAT-1", question.TicketId);
    }

    [Fact]
    public async Task ATicketAboutSomethingElse_CountsAgainstTheQuestion_ButIsNeverOfferedAsItsDraft()
    {
        // Alice asks about deploys, then files an unrelated ticket: the question is not solved by the docs, but Dana must
        // not be offered a "how do I roll back a deploy?" article written from the VPN fix.
        var kb = CopyOfShippedKnowledgeBase();
        await using var bot = await StartAsync(kb);
        await bot.SayAsync("alice", "/ask how do I roll back a deploy?");
        await bot.SayAsync("alice", "/ticket VPN drops every 10 minutes");
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);

        await bot.SayAsync("dana", "/ticket resolve PLAT-1 Reissued the VPN profile");
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bot.DeliverOutboxAsync();

        var dms = await bot.ConversationAsync("dm:dana", "dana");
        Assert.DoesNotContain(dms, m => TestBot.Buttons(m!).Any(b => (string?)b["actionId"] == KnowledgeRoutes.Draft));
        var report = bot.Services.GetRequiredService<IKnowledgeInsights>().SelfService(TestBot.MondayMorning.AddDays(-1), TestBot.MondayMorning.AddDays(1));
        Assert.Equal((1, 0), (report.NotSolved, report.Solved));
    }

    [Fact]
    public async Task ResolvedTicketFromAQuestion_OffersTheResolverADraft_WrittenUnderDrafts()
    {
        var kb = CopyOfShippedKnowledgeBase();
        await using var bot = await StartAsync(kb);
        await AskThenFileATicketAsync(bot);

        await bot.SayAsync("dana", "/ticket resolve PLAT-1 Run /deploy rollback checkout; the pipeline had a stale cache");
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bot.DeliverOutboxAsync();
        var offer = (await bot.ConversationAsync("dm:dana", "dana")).Single(m => TestBot.Buttons(m!).Any(b => (string?)b["actionId"] == KnowledgeRoutes.Draft))!;
        var refused = await bot.ClickAsSomeoneElseAsync("alice", offer, KnowledgeRoutes.Draft);
        var saved = (string)(await bot.ClickAsync("dana", offer, KnowledgeRoutes.Draft)).Single()!["text"]!;

        Assert.Contains("Only the agent who resolved", refused, StringComparison.Ordinal);
        Assert.Contains("drafts/", saved, StringComparison.Ordinal);
        var draft = File.ReadAllText(Directory.GetFiles(Path.Combine(kb, "drafts")).Single());
        Assert.Contains("title: \"how do I roll back a deploy?\"", draft, StringComparison.Ordinal);
        Assert.Contains("owners: [\"dana\"]", draft, StringComparison.Ordinal);
        Assert.Contains("Run /deploy rollback checkout; the pipeline had a stale cache", draft, StringComparison.Ordinal);
        Assert.Contains("- Roll back a deploy (`deploys/rollback.md#", draft, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftFromATicketWithComments_QuotesTheThread_AndNoCommentCanBreakTheFile()
    {
        const string Hostile = """
            ---
            title: "pwned"
            owners: [mallory]
            ---
            # Fake section
            <script>alert(1)</script> <!-- the rest is hidden
            @channel @here <!channel> ```
            | a | b |
            |---|---|
            1. first
            > quoted
            ===
            [click](javascript:alert(1)) ![x](http://example.invalid/x.png) *bold* _it_ ~~gone~~ \
            """;
        var kb = CopyOfShippedKnowledgeBase();
        await using var bot = await StartAsync(kb);
        await AskThenFileATicketAsync(bot);

        await bot.SayAsync("dana", "/ticket comment PLAT-1 Which service? Try /deploy rollback with --force");
        bot.Time.Advance(TimeSpan.FromMinutes(7));
        await bot.SayAsync("alice", "/ticket comment PLAT-1 " + Hostile);
        await bot.SayAsync("dana", "/ticket resolve PLAT-1 Run /deploy rollback checkout; the pipeline had a stale cache");
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bot.DeliverOutboxAsync();
        var offer = (await bot.ConversationAsync("dm:dana", "dana")).Single(m => TestBot.Buttons(m!).Any(b => (string?)b["actionId"] == KnowledgeRoutes.Draft))!;
        await bot.ClickAsync("dana", offer, KnowledgeRoutes.Draft);

        var draft = File.ReadAllText(Directory.GetFiles(Path.Combine(kb, "drafts")).Single());

        // Both comments are there, with who wrote them and when.
        Assert.Contains("**dana** (platform team), 2026-11-23 08:00 UTC:", draft, StringComparison.Ordinal);
        Assert.Contains("> Which service? Try /deploy rollback with --force", draft, StringComparison.Ordinal);
        Assert.Contains("**alice**, 2026-11-23 08:07 UTC:", draft, StringComparison.Ordinal);

        // Read back as the knowledge base reads it: the front matter and the sections are the draft's own.
        var article = ArticleParser.Parse("drafts/draft.md", draft);
        Assert.Equal("how do I roll back a deploy?", article.Title);
        Assert.Equal(["dana"], article.Owners);
        Assert.Equal(["how do I roll back a deploy?", "Answer", "Ticket thread", "Background"], article.Sections.Select(x => x.Heading));

        // Rendered as CommonMark with GitHub's extensions: the hostile comment is one quote of literal text.
        var html = Markdown.ToHtml(draft, new MarkdownPipelineBuilder().UseAdvancedExtensions().UseYamlFrontMatter().Build());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<ol", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<hr", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<pre", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<em>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<del>", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<h2"));
        Assert.Equal(2, Regex.Count(html, "<blockquote>"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- the rest is hidden", html, StringComparison.Ordinal);
        Assert.Contains("@channel @here &lt;!channel&gt; ```", html, StringComparison.Ordinal);
        Assert.Contains("title: &quot;pwned&quot;", html, StringComparison.Ordinal);
        Assert.Contains("Background", html, StringComparison.Ordinal);
    }

    /// <summary>Alice asks, clicks "Not quite" and files the pre-filled form: PLAT-1.</summary>
    private static async Task AskThenFileATicketAsync(TestBot bot)
    {
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;
        var formMessage = (await bot.ClickAsync("alice", answer, KnowledgeRoutes.NotQuite)).Single()!;
        await bot.SubmitAsync("alice", formMessage, FormValues(formMessage));
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);
    }

    private static Task<TestBot> StartAsync(string kbFolder)
    {
        var shipped = ShippedKnowledgeBase.RepositoryFolder("kb");
        return TestBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Knowledge:Folders:0"] = Directory.EnumerateFiles(kbFolder, "*.md", SearchOption.AllDirectories).Any() ? kbFolder : shipped,
            ["Knowledge:SynonymsFile"] = Path.Combine(shipped, "synonyms.txt"),
            ["Knowledge:Watch"] = "false",
        });
    }

    private static DomainEventBus Bus(TestBot bot) => bot.Services.GetRequiredService<DomainEventBus>();

    private static Dictionary<string, string> FormValues(System.Text.Json.Nodes.JsonNode formMessage) =>
        formMessage["form"]!["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (string?)f!["initial"] ?? (string)f!["name"]! switch
        {
            "priority" => "P3",
            _ => string.Empty,
        });

    private static string CopyOfShippedKnowledgeBase()
    {
        var source = ShippedKnowledgeBase.RepositoryFolder("kb");
        var target = TempFolder.Create();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
