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
    public async Task ResolvedTicketFromAQuestion_OffersTheResolverADraft_WrittenUnderDrafts()
    {
        var kb = CopyOfShippedKnowledgeBase();
        await using var bot = await StartAsync(kb);
        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;
        var formMessage = (await bot.ClickAsync("alice", answer, KnowledgeRoutes.NotQuite)).Single()!;
        await bot.SubmitAsync("alice", formMessage, FormValues(formMessage));
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);

        await bot.SayAsync("dana", "/ticket resolve PLAT-1 Run /deploy rollback checkout; the pipeline had a stale cache");
        await Bus(bot).DispatchPendingAsync(TestContext.Current.CancellationToken);
        await bot.DeliverOutboxAsync();
        var offer = (await bot.ConversationAsync("dm:dana", "dana")).Single(m => TestBot.Buttons(m!).Any(b => (string?)b["actionId"] == KnowledgeRoutes.Draft))!;
        var refused = (string)(await bot.ClickAsync("alice", offer, KnowledgeRoutes.Draft)).Single()!["text"]!;
        var saved = (string)(await bot.ClickAsync("dana", offer, KnowledgeRoutes.Draft)).Single()!["text"]!;

        Assert.Contains("Only the agent who resolved", refused, StringComparison.Ordinal);
        Assert.Contains("drafts/", saved, StringComparison.Ordinal);
        var draft = File.ReadAllText(Directory.GetFiles(Path.Combine(kb, "drafts")).Single());
        Assert.Contains("title: \"how do I roll back a deploy?\"", draft, StringComparison.Ordinal);
        Assert.Contains("owners: [\"dana\"]", draft, StringComparison.Ordinal);
        Assert.Contains("Run /deploy rollback checkout; the pipeline had a stale cache", draft, StringComparison.Ordinal);
        Assert.Contains("- Roll back a deploy (`deploys/rollback.md#", draft, StringComparison.Ordinal);
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
