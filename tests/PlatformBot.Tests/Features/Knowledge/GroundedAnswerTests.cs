using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Ai;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary>Grounded answers through a scripted <see cref="IChatClient"/>: what the model is told, and what people see.</summary>
public sealed class GroundedAnswerTests
{
    [Fact]
    public void Prompt_HoldsTheRulesTheNumberedSourcesAndTheQuestion()
    {
        var prompt = GroundedAnswers.Prompt("how do I roll back?", [new GroundingSource(1, "Roll back a deploy", "Roll back with Git", "Revert the pull request.")]);

        Assert.Equal(ChatRole.System, prompt[0].Role);
        Assert.Contains("ONLY the numbered sources", prompt[0].Text, StringComparison.Ordinal);
        Assert.Contains("cite the source it comes from as [n]", prompt[0].Text, StringComparison.Ordinal);
        Assert.Contains("reply exactly: I don't know", prompt[0].Text, StringComparison.Ordinal);
        Assert.Contains("[1] Roll back a deploy — Roll back with Git\nRevert the pull request.", prompt[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("Question: how do I roll back?", prompt[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAChatClient_TheAnswerCitesItsSections_AboveTheArticles()
    {
        var chat = new ScriptedChatClient("Revert the deploy pull request and merge it [1].");
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        Assert.Contains("Revert the deploy pull request and merge it [1].", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains("[1] Roll back a deploy", chat.LastPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelSaysItDoesNotKnow_OnlyTheArticlesAreShown()
    {
        var chat = new ScriptedChatClient("I don't know.");
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        Assert.DoesNotContain("I don't know", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains("Roll back a deploy", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatClientThatFails_StillGivesTheArticles()
    {
        var chat = new ScriptedChatClient(null);
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        Assert.Contains("Roll back a deploy", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("something went wrong", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatClientThatFailsTheWayProvidersDo_StillGivesTheArticles()
    {
        // The OpenAI and Azure clients wrap a refused connection, a 429 or a 5xx in an AggregateException.
        var chat = new ScriptedChatClient(null) { Failure = new AggregateException(new InvalidDataException("Service request failed. Status: 503")) };
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        Assert.Contains("Roll back a deploy", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("something went wrong", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Run kubectl rollout undo on the deployment.")] // cites nothing
    [InlineData("Run kubectl rollout undo on the deployment [9].")] // cites a source it was not given
    public async Task AnswerThatIsNotGroundedInItsSources_IsNotShown_TheArticlesAre(string reply)
    {
        var chat = new ScriptedChatClient(reply);
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        var answer = (await bot.SayAsync("alice", "/ask how do I roll back a deploy?")).Single()!;

        Assert.DoesNotContain("kubectl rollout undo", (string)answer["text"]!, StringComparison.Ordinal);
        Assert.Contains("Roll back a deploy", (string)answer["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedQuestion_NeverReachesTheModel()
    {
        var chat = new ScriptedChatClient("Kafka is great [1].");
        await using var bot = await TestBot.StartAsync(settings: KnowledgeSettings(), services: s => s.AddSingleton<IChatClient>(chat));

        await bot.SayAsync("alice", "/ask kafka consumer lag keeps growing on the orders topic");

        Assert.Equal(0, chat.Calls);
    }

    private static Dictionary<string, string?> KnowledgeSettings()
    {
        var kb = ShippedKnowledgeBase.RepositoryFolder("kb");
        return new() { ["Knowledge:Folders:0"] = kb, ["Knowledge:SynonymsFile"] = Path.Combine(kb, "synonyms.txt") };
    }

    /// <summary>Answers every request with one scripted text (or fails when it is null) and remembers the prompt.</summary>
    private sealed class ScriptedChatClient(string? reply) : IChatClient
    {
        public int Calls { get; private set; }

        public string LastPrompt { get; private set; } = string.Empty;

        /// <summary>What a failing client throws (when the reply is null).</summary>
        public Exception Failure { get; init; } = new HttpRequestException("model unavailable");

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            LastPrompt = string.Join("\n", messages.Select(m => m.Text));
            return reply is null
                ? throw Failure
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
