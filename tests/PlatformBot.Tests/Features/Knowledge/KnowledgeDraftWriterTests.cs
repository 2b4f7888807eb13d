using Microsoft.Extensions.Time.Testing;
using PlatformBot.Features.Knowledge;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Knowledge;

public sealed class KnowledgeDraftWriterTests
{
    [Fact]
    public void TheSameDraftWrittenAgain_KeepsOneFile_WhileAnotherOneWithTheSameTitleGetsItsOwn()
    {
        // Work that ran in a Slack batch which rolled back runs again: the draft it wrote the first time is reused.
        var folder = TempFolder.Create();
        var writer = new KnowledgeDraftWriter(folder, new FakeTimeProvider(TestBot.MondayMorning));

        var first = writer.Write("How do I rotate the VPN key?", "Run `vpn rotate`.", "U0AGENT", "PLAT-7");
        var again = writer.Write("How do I rotate the VPN key?", "Run `vpn rotate`.", "U0AGENT", "PLAT-7");
        var other = writer.Write("How do I rotate the VPN key?", "Ask the network team.", "U0AGENT", "PLAT-9");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(2, Directory.GetFiles(folder, "*.md").Length);
        Assert.Contains("Ask the network team.", File.ReadAllText(other), StringComparison.Ordinal);
    }
}
