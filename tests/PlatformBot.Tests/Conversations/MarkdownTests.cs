using PlatformBot.Conversations;

namespace PlatformBot.Tests.Conversations;

public sealed class MarkdownTests
{
    [Fact]
    public void Interpolated_string_IsUserText_AndNeverParsed()
    {
        var title = "*urgent* <!channel> [click](javascript:alert(1))";

        var text = Md.Text($"*Ticket:* {title}");

        Assert.Collection(
            text.Runs,
            r => Assert.Equal(("Ticket:", TextStyle.Bold, false), (r.Text, r.Style, r.IsUserText)),
            r => Assert.Equal((" ", TextStyle.None, false), (r.Text, r.Style, r.IsUserText)),
            r => Assert.Equal((title, TextStyle.None, true, (string?)null), (r.Text, r.Style, r.IsUserText, r.Url)));
    }

    [Fact]
    public void Literal_markup_BecomesStyles_AndLinks()
    {
        var text = Md.Text($"_see_ `code` [docs](https://example.org/a b)");

        Assert.Contains(text.Runs, r => r.Text == "see" && r.Style == TextStyle.Italic);
        Assert.Contains(text.Runs, r => r.Text == "code" && r.Style == TextStyle.Code);
        Assert.Contains(text.Runs, r => r.Text == "docs" && r.Url == "https://example.org/a%20b");
    }

    [Fact]
    public void Hole_inside_bold_KeepsTheStyle_AndStaysUserText()
    {
        var id = "PLAT-1";

        var text = Md.Text($"*{id}*");

        var run = Assert.Single(text.Runs);
        Assert.Equal(TextStyle.Bold, run.Style);
        Assert.True(run.IsUserText);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("//evil.example")]
    public void Unsafe_link_target_IsDropped(string url)
    {
        var text = Md.Text($"[label]({url})");

        Assert.DoesNotContain(text.Runs, r => r.Url is not null);
    }

    [Fact]
    public void PlainText_ConcatenatesRuns()
    {
        Assert.Equal("Filed PLAT-7: VPN *down*", Md.Text($"Filed *{"PLAT-7"}*: {"VPN *down*"}").ToPlainText());
    }
}
