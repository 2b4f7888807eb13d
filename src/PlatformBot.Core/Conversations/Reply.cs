using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Serialization;

namespace PlatformBot.Conversations;

public enum ReplyVisibility
{
    /// <summary>Everyone in the conversation sees it.</summary>
    InConversation,

    /// <summary>Only the person who asked sees it (a Slack ephemeral message; a DM-like note elsewhere).</summary>
    OnlyRequester,
}

/// <summary>
/// A channel-neutral message: what a handler answers and what the outbox delivers. Each channel's renderer turns it into
/// Block Kit, an Adaptive Card or the dev chat's JSON; nothing here names a channel.
/// </summary>
public sealed record Reply
{
    public static readonly Reply None = new();

    public ImmutableArray<Block> Blocks { get; init; } = [];

    public ReplyVisibility Visibility { get; init; } = ReplyVisibility.InConversation;

    /// <summary>
    /// Names the thing this message shows (<c>ticket:PLAT-42</c>). Channels remember where such a card was posted, so that
    /// later changes update it in place and messages for it go to its thread.
    /// </summary>
    public string? CardKey { get; init; }

    /// <summary>An answer to a click that replaces the message that carried the button.</summary>
    public bool ReplacesSource { get; init; }

    /// <summary>A form to open (a modal in Slack, an input card in Teams, a form in the dev chat), or to show again with errors.</summary>
    public Form? Form { get; init; }

    /// <summary>Short text for notifications and clients that cannot show blocks; derived from the blocks when not set.</summary>
    public string? Summary { get; init; }

    [JsonIgnore]
    public bool IsNone => Blocks.IsDefaultOrEmpty && Form is null;

    public static Reply Text(RichText text) => new() { Blocks = [new TextBlock(text)] };

    public static Reply Text(MarkdownInterpolation text) => Text(Md.Text(text));

    public static Reply Private(RichText text) => Text(text) with { Visibility = ReplyVisibility.OnlyRequester };

    public static Reply Private(MarkdownInterpolation text) => Private(Md.Text(text));

    public static Reply OfBlocks(params Block[] blocks) => new() { Blocks = [.. blocks] };

    public static Reply OpenForm(Form form) => new() { Form = form };

    /// <summary>Every button and select in the message, in order.</summary>
    public IEnumerable<ActionElement> Actions() =>
        Blocks.IsDefaultOrEmpty ? [] : Blocks.OfType<ActionsBlock>().SelectMany(a => a.Elements);

    public string ToPlainText()
    {
        if (Summary is not null && Blocks.IsDefaultOrEmpty)
        {
            return Summary;
        }

        var sb = new StringBuilder();
        foreach (var block in Blocks.IsDefaultOrEmpty ? [] : Blocks)
        {
            var line = block.ToPlainText();
            if (line.Length > 0)
            {
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(line);
            }
        }

        if (Form is not null)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(Form.Title);
        }

        return sb.ToString();
    }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
public abstract record Block
{
    public abstract string ToPlainText();
}

/// <summary>A title line.</summary>
public sealed record HeaderBlock(RichText Text) : Block
{
    public override string ToPlainText() => Text.ToPlainText();
}

public sealed record TextBlock(RichText Text) : Block
{
    public override string ToPlainText() => Text.ToPlainText();
}

/// <summary>Text with label/value fields beside it (a ticket's priority, state, due times).</summary>
public sealed record SectionBlock(RichText? Text, ImmutableArray<Field> Fields) : Block
{
    public override string ToPlainText()
    {
        var parts = new List<string>();
        if (Text is not null && !Text.IsEmpty)
        {
            parts.Add(Text.ToPlainText());
        }

        parts.AddRange((Fields.IsDefault ? [] : Fields).Select(f => $"{f.Label}: {f.Value.ToPlainText()}"));
        return string.Join('\n', parts);
    }
}

public sealed record Field(string Label, RichText Value);

public sealed record ActionsBlock(ImmutableArray<ActionElement> Elements) : Block
{
    public override string ToPlainText() => string.Join(" | ", Elements.Select(e => $"[{e.Label}]"));
}

/// <summary>Small grey lines under a message: who filed it, when, hints.</summary>
public sealed record ContextBlock(ImmutableArray<RichText> Items) : Block
{
    public override string ToPlainText() => string.Join(" · ", Items.Select(i => i.ToPlainText()));
}

/// <summary>An image, such as a chart; <see cref="Url"/> is absolute or relative to the bot's public base URL.</summary>
public sealed record ImageBlock(string Url, string AltText) : Block
{
    public override string ToPlainText() => $"[image: {AltText}]";
}

public sealed record DividerBlock : Block
{
    public override string ToPlainText() => string.Empty;
}

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Button), "button")]
[JsonDerivedType(typeof(Select), "select")]
public abstract record ActionElement(string ActionId, string Label);

/// <summary>A button: its action id routes the click (by prefix), its value says to what.</summary>
public sealed record Button(string ActionId, string Label, string Value, ButtonStyle Style = ButtonStyle.Default)
    : ActionElement(ActionId, Label);

public sealed record Select(string ActionId, string Label, ImmutableArray<Option> Options, string? Initial = null)
    : ActionElement(ActionId, Label);

public sealed record Option(string Label, string Value);

public enum FormFieldKind
{
    Text,
    MultilineText,
    Select,
}

public sealed record FormField(string Name, string Label, FormFieldKind Kind = FormFieldKind.Text)
{
    public bool Required { get; init; }

    public string? Initial { get; init; }

    public string? Placeholder { get; init; }

    public int? MaxLength { get; init; }

    public ImmutableArray<Option> Options { get; init; } = [];
}

/// <summary>A form: a Slack modal, a Teams input card, a dev chat form. Submitting it routes by <see cref="FormId"/> (by prefix).</summary>
public sealed record Form(string FormId, string Title, ImmutableArray<FormField> Fields)
{
    public string SubmitLabel { get; init; } = "Submit";

    /// <summary>The handler's own context, carried through the round trip (Slack private_metadata).</summary>
    public string? State { get; init; }

    /// <summary>Errors by field name, shown next to the fields when a submission was refused.</summary>
    public ImmutableDictionary<string, string> Errors { get; init; } = ImmutableDictionary<string, string>.Empty;

    public Form WithErrors(IReadOnlyDictionary<string, string> errors, IReadOnlyDictionary<string, string> values) =>
        this with
        {
            Errors = errors.ToImmutableDictionary(),
            Fields = [.. Fields.Select(f => values.TryGetValue(f.Name, out var v) ? f with { Initial = v } : f)],
        };
}
