using System.Text.Json.Nodes;
using PlatformBot.Host.Cli;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

/// <summary><c>kb eval</c> writes the contract of ../shared/kb-eval/README.md: one JSON line per question, in order.</summary>
public sealed class KnowledgeCliTests
{
    [Fact]
    public async Task Eval_PrintsOneJsonLinePerQuestion_InOrder_WithPathsOrARefusal()
    {
        var corpus = TempFolder.Create();
        Directory.CreateDirectory(Path.Combine(corpus, "guides"));
        File.WriteAllText(Path.Combine(corpus, "guides", "rollback.md"), "# Roll back a release\n\nRevert the deploy pull request to roll back.");
        File.WriteAllText(Path.Combine(corpus, "vpn.md"), "# VPN\n\nImport the WireGuard profile.");
        File.WriteAllText(Path.Combine(corpus, "PROVENANCE.md"), "# Provenance\n\nroll back release metadata.");
        var questions = Path.Combine(corpus, "..", Path.GetFileName(corpus) + ".jsonl");
        File.WriteAllLines(questions,
        [
            """{"id": "q1", "question": "how do i roll back a release", "relevant": ["guides/rollback.md"]}""",
            """{"id": "q2", "question": "kafka consumer lag on the orders topic", "relevant": []}""",
        ]);
        var output = new StringWriter();
        var errors = new StringWriter();

        var status = await KnowledgeCli.RunAsync(["eval", "--corpus", corpus, "--questions", questions], output, errors);

        Assert.Equal(0, status);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["q1", "q2"], lines.Select(l => (string)l["id"]!));
        Assert.Equal("guides/rollback.md", (string)lines[0]["ranked"]![0]!);
        Assert.DoesNotContain(lines[0]["ranked"]!.AsArray(), p => (string)p! == "PROVENANCE.md");
        Assert.Empty(lines[1]["ranked"]!.AsArray());
        Assert.Contains("Recall@3 1.000", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_WithAMissingCorpus_FailsWithAMessage()
    {
        var errors = new StringWriter();

        var status = await KnowledgeCli.RunAsync(["eval", "--corpus", "/no/such/folder", "--questions", "q.jsonl"], new StringWriter(), errors);

        Assert.Equal(1, status);
        Assert.Contains("does not exist", errors.ToString(), StringComparison.Ordinal);
    }
}
