using System.Collections.Immutable;
using PlatformBot.Conversations;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>Replies that use every block, element, style and form field kind the neutral model has.</summary>
internal static class CardCatalog
{
    public static readonly UserRef Dana = new(PlatformBot.Conversations.Channels.Teams, "29:1dana-aad", "Dana <Ops>");

    public static Reply EveryBlock() => new()
    {
        CardKey = "demo:catalog",
        Blocks =
        [
            new HeaderBlock(Md.Text($"*PLAT-7* {"VPN <b>drops</b> *often*"}")),
            new TextBlock(Md.Text($"Line one with _italic_, `code` and [a link](https://platform.example/docs)\nline two by {"a user: [x](javascript:alert(1))"}, escalated to {Md.Mention(Dana)}")),
            new SectionBlock(Md.Text($"Details"), [new Field("Priority", Md.Text($"*P1*")), new Field("Reporter", RichText.User("Alice\nSecond line"))]),
            new DividerBlock(),
            new ImageBlock("https://platform.example/chart.png", "SLA chart"),
            new ImageBlock("/charts/sla.png", "relative chart"),
            new ContextBlock([Md.Text($"Filed by {"alice"}"), Md.Text($"due in *2h*")]),
            new ActionsBlock(
            [
                new Button("demo.ack", "Acknowledge", "PLAT-7", ButtonStyle.Primary),
                new Button("demo.close", "Close", "PLAT-7", ButtonStyle.Danger),
                new Button("demo.more", "More", "PLAT-7"),
                new Select("demo.assign", "Assign to", [new Option("Dana", "dana"), new Option("Omar", "omar")], Initial: "omar"),
            ]),
        ],
    };

    public static Reply EveryFormField() => Reply.OpenForm(new Form(
        "demo.form",
        "Open a ticket",
        [
            new FormField("summary", "Summary") { Required = true, MaxLength = 150, Placeholder = "What is wrong?", Initial = "VPN" },
            new FormField("details", "Details", FormFieldKind.MultilineText) { MaxLength = 3000 },
            new FormField("priority", "Priority", FormFieldKind.Select) { Required = true, Options = [new Option("P1", "p1"), new Option("P2", "p2")], Initial = "p2" },
        ])
    {
        State = "{\"thread\":\"1700\"}",
        SubmitLabel = "File it",
        Errors = ImmutableDictionary<string, string>.Empty.Add("summary", "Too short.").Add("_form", "Something about the whole form."),
    });

    /// <summary>About 60 KB of text: more than a Teams card may carry.</summary>
    public static Reply Huge() => new()
    {
        Blocks = [.. Enumerable.Range(1, 60).Select(i => (Block)new SectionBlock(Md.Text($"Dead letter {i}: {new string('x', 900)}"), [new Field("Attempts", Md.Text($"{i}"))]))],
    };
}
