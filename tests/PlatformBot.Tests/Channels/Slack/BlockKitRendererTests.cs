using System.Collections.Immutable;
using System.Text.Json.Nodes;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Slack;

namespace PlatformBot.Tests.Channels.Slack;

public sealed class BlockKitRendererTests
{
    [Fact]
    public void UserText_IsEscaped_WhileOurMarkupStays()
    {
        var mrkdwn = BlockKitRenderer.Mrkdwn(Md.Text($"*{"PLAT-1"}* {"<!here> & <@U1>"}"));

        Assert.Equal("*PLAT-1* &lt;!here&gt; &amp; &lt;@U1&gt;", mrkdwn);
    }

    [Fact]
    public void Link_HasAnEscapedLabelAndTarget()
    {
        var mrkdwn = BlockKitRenderer.Mrkdwn(Md.Text($"see {Md.Link("https://docs.example/a?b=1&c=2", "label <x>")}"));

        Assert.Equal("see <https://docs.example/a?b=1&amp;c=2|label &lt;x&gt;>", mrkdwn);
    }

    [Fact]
    public void Mention_PingsOnlySlackUsers()
    {
        var slackUser = BlockKitRenderer.Mrkdwn(Md.Text($"{Md.Mention(new UserRef("slack", "U024BE7LH"))}"));
        var otherUser = BlockKitRenderer.Mrkdwn(Md.Text($"{Md.Mention(new UserRef("dev", "<!channel>"))}"));

        Assert.Equal("<@U024BE7LH>", slackUser);
        Assert.Equal("@&lt;!channel&gt;", otherUser);
    }

    [Fact]
    public void Styles_HugTheTextInsideItsSpaces()
    {
        var mrkdwn = BlockKitRenderer.Mrkdwn(new RichText([new Inline(" due ", TextStyle.Bold), new Inline("soon")]));

        Assert.Equal(" *due* soon", mrkdwn);
    }

    [Fact]
    public void Header_IsEscapedPlainText_CutAt150()
    {
        var blocks = Render(new HeaderBlock(RichText.User("<!channel> " + new string('x', 200))));

        var text = blocks[0]!["text"]!;
        Assert.Equal("plain_text", (string?)text["type"]);
        Assert.StartsWith("&lt;!channel&gt; ", (string?)text["text"], StringComparison.Ordinal);
        Assert.Equal(150, ((string?)text["text"])!.Length);
    }

    [Fact]
    public void MoreThan50Blocks_AreCutWithANote()
    {
        var blocks = Render([.. Enumerable.Range(0, 60).Select(i => (Block)new TextBlock(Md.Text($"line {i}")))]);

        Assert.Equal(BlockKitRenderer.MaxMessageBlocks, blocks.Count);
        Assert.Contains("11 more", blocks[^1]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LongText_IsSplitIntoSectionsOfAtMost3000Characters_NeverInsideAnEntity()
    {
        var text = string.Join(' ', Enumerable.Repeat("a&b", 2000));

        var blocks = Render(new TextBlock(RichText.User(text)));

        Assert.True(blocks.Count >= 3);
        Assert.All(blocks, b => Assert.True(((string?)b!["text"]!["text"])!.Length <= 3000));
        Assert.All(blocks, b => Assert.DoesNotMatch("&(?!amp;)", (string?)b!["text"]!["text"]));
    }

    [Fact]
    public void MoreThan10Fields_GoIntoAFurtherSection()
    {
        var fields = Enumerable.Range(0, 12).Select(i => new Field($"F{i}", Md.Text($"{i}"))).ToImmutableArray();

        var blocks = Render(new SectionBlock(Md.Text($"Ticket"), fields));

        Assert.Equal(10, blocks[0]!["fields"]!.AsArray().Count);
        Assert.Equal(2, blocks[1]!["fields"]!.AsArray().Count);
    }

    [Fact]
    public void Buttons_AndSelects_KeepTheirActionIdsAndValues()
    {
        var blocks = Render(new ActionsBlock([
            new Button("ticket.take", "Take <it>", "PLAT-1", ButtonStyle.Primary),
            new Select("ticket.priority", "Priority", [new Option("High", "p1"), new Option("Low", "p3")], Initial: "p3"),
        ]));

        var elements = blocks[0]!["elements"]!.AsArray();
        Assert.Equal("ticket.take", (string?)elements[0]!["action_id"]);
        Assert.Equal("PLAT-1", (string?)elements[0]!["value"]);
        Assert.Equal("primary", (string?)elements[0]!["style"]);
        Assert.Equal("Take &lt;it&gt;", (string?)elements[0]!["text"]!["text"]);
        Assert.Equal("static_select", (string?)elements[1]!["type"]);
        Assert.Equal("p3", (string?)elements[1]!["initial_option"]!["value"]);
    }

    [Fact]
    public void RelativeImage_WithoutAPublicBaseUrl_BecomesItsAltText()
    {
        var withoutBase = Render(new ImageBlock("/charts/sla.png", "SLA chart"));
        var withBase = BlockKitRenderer.Blocks([new ImageBlock("/charts/sla.png", "SLA chart")], 50, new Uri("https://bot.example/"));

        Assert.Equal("context", (string?)withoutBase[0]!["type"]);
        Assert.Equal("https://bot.example/charts/sla.png", (string?)withBase[0]!["image_url"]);
    }

    [Fact]
    public void Form_BecomesAModal_AndItsErrorsAResponseAction()
    {
        var form = new Form("ticket.form", "A title much longer than Slack allows", [
            new FormField("summary", "Summary") { Required = true, MaxLength = 200 },
            new FormField("details", "Details", FormFieldKind.MultilineText),
            new FormField("priority", "Priority", FormFieldKind.Select) { Options = [new Option("High", "p1")] },
        ]);

        var modal = BlockKitRenderer.Modal(form, "{\"s\":\"x\"}");
        var errors = BlockKitRenderer.Errors(form.WithErrors(new Dictionary<string, string> { ["summary"] = "Required." }, new Dictionary<string, string>()));

        Assert.Equal("modal", (string?)modal["type"]);
        Assert.Equal("ticket.form", (string?)modal["callback_id"]);
        Assert.Equal(24, ((string?)modal["title"]!["text"])!.Length);
        Assert.Equal(["summary", "details", "priority"], modal["blocks"]!.AsArray().Select(b => (string?)b!["block_id"]));
        Assert.False((bool)modal["blocks"]![0]!["optional"]!);
        Assert.True((bool)modal["blocks"]![1]!["element"]!["multiline"]!);
        Assert.Equal("errors", (string?)errors["response_action"]);
        Assert.Equal("Required.", (string?)errors["errors"]!["summary"]);
    }

    [Fact]
    public void FallbackText_IsEscapedToo()
    {
        var message = BlockKitRenderer.Message(Reply.Text(Md.Text($"{"<!everyone>"}")));

        Assert.Equal("&lt;!everyone&gt;", (string?)message["text"]);
    }

    private static JsonArray Render(params Block[] blocks) => BlockKitRenderer.Blocks(blocks, BlockKitRenderer.MaxMessageBlocks, null);
}
