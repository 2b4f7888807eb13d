using PlatformBot.Tests.Support;
using PlatformBot.Features.Knowledge;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary>The search over the knowledge base shipped in the repository (kb/), as people would ask.</summary>
public sealed class KnowledgeSearchTests : IClassFixture<ShippedKnowledgeBase>
{
    private readonly KnowledgeEngine _engine;

    public KnowledgeSearchTests(ShippedKnowledgeBase kb) => _engine = kb.Engine;

    [Theory]
    [InlineData("how do i roll back a deploy? the new release is broken", "deploys/rollback.md")]
    [InlineData("my pod is stuck in CrashLoopBackOff, how do i find out why", "kubernetes/crashloopbackoff.md")]
    [InlineData("vpn keeps disconnecting on hotel wifi", "access/vpn.md")]
    [InlineData("how do I get k8s access", "kubernetes/access.md")]
    [InlineData("need to rotate the master pasword of our postgres", "secrets/rotate-credentials.md")]
    [InlineData("ci job stuck waiting for a runner for ages", "ci/runners.md")]
    public void Question_FindsTheArticleThatAnswersIt_First(string question, string expected)
    {
        var outcome = _engine.Search(question);

        Assert.True(outcome.Answerable, $"refused with confidence {outcome.Confidence:0.00}");
        Assert.Equal(expected, outcome.Offered[0].Path);
    }

    [Theory]
    [InlineData("kafka consumer lag keeps growing on the orders topic")]
    [InlineData("what is the best pizza place near the office")]
    [InlineData("snowflake analytics warehouse read access")]
    public void QuestionTheKnowledgeBaseDoesNotCover_IsRefused(string question)
    {
        var outcome = _engine.Search(question);

        Assert.False(outcome.Answerable, $"answered with {string.Join(", ", outcome.Articles.Select(a => a.Path))} at confidence {outcome.Confidence:0.00}");
        Assert.Empty(outcome.Offered);
    }

    [Fact]
    public void BestSection_IsTheOneUnderTheMatchingHeading()
    {
        var outcome = _engine.Search("how do i get access to the production aws account");

        Assert.Equal("access/sso-and-accounts.md", outcome.Offered[0].Path);
        Assert.Equal("access-to-the-production-aws-account", outcome.Offered[0].Section.Anchor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("\" * : ( ~ AND")]
    [InlineData("title:(rollback AND \"deploy* ~2\") OR [a TO z] {x} ^3 \\ / ! -- &&")]
    [InlineData("AND OR NOT")]
    [InlineData("((((((((((((((((((((")]
    [InlineData("wie rolle ich ein Deployment zurück?")]
    [InlineData("デプロイをロールバックする方法")]
    [InlineData("🚀🔥💥 deploy 🙏")]
    [InlineData("\u0000\u0001\u0002 null bytes")]
    [InlineData("ﷺ\uFFFF\uD83D")]
    public void OddInput_GivesAnAnswerOrARefusal_NeverAnException(string question)
    {
        var outcome = _engine.Search(question);

        Assert.True(outcome.Answerable || outcome.Offered.IsEmpty);
    }

    [Fact]
    public void TenKilobyteQuestion_IsSearchedByItsBeginning()
    {
        var question = "how do i roll back a deploy " + string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 400));

        var outcome = _engine.Search(question);

        Assert.True(question.Length > 10_000);
        Assert.True(outcome.Answerable || outcome.Offered.IsEmpty);
    }

    [Fact]
    public void Snippet_MarksTheQuestionsWords_InTheBestWindow()
    {
        var outcome = _engine.Search("rollback in the argo cd ui");
        var hit = outcome.Offered[0];

        var snippet = Snippets.Make(_engine.Analyzer, hit.Section.Body, outcome.Concepts);

        Assert.Contains(snippet.Parts, p => p.Match && p.Text.Contains("Rollback", StringComparison.OrdinalIgnoreCase));
        Assert.True(snippet.Plain.Length <= Snippets.Width + 10);
    }
}

/// <summary>The repository's kb/ folder indexed once for a test class.</summary>
public sealed class ShippedKnowledgeBase : IDisposable
{
    public ShippedKnowledgeBase()
    {
        var kb = RepositoryFolder("kb");
        Engine = KnowledgeEngine.InMemory([kb], KnowledgeSources.DefaultExclude, Path.Combine(kb, "synonyms.txt"));
    }

    internal KnowledgeEngine Engine { get; }

    public static string RepositoryFolder(string name) => Path.Combine(Repository.Root, name);

    public void Dispose() => Engine.Dispose();
}
