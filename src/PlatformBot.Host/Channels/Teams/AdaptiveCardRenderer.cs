using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// Renders a <see cref="Reply"/> as an Adaptive Card 1.5, the version Teams supports (teams-protocol.md §5). Every run of text
/// becomes a <c>TextRun</c>, whose text Teams never reads as Markdown, so nothing a person wrote can turn into markup, a link
/// or a mention; styles and links are ours. Buttons are <c>Action.Execute</c> (Universal Actions) with an <c>Action.Submit</c>
/// fallback, both carrying the same data; forms become input cards with the refused fields' errors under them. A card that
/// would pass Teams' size limit is shortened, saying so. Mentions ping through the message's own mention entities (the
/// card schema has no place for them) and show as bold names in the card. The card is written straight to UTF-8 JSON, once:
/// its length is the size checked, and those bytes are what the connector sends.
/// </summary>
internal static class AdaptiveCardRenderer
{
    public const string Version = "1.5";
    public const string SchemaUrl = "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>The key of our own data in a card action's data; inputs are merged beside it, so it cannot collide with a field.</summary>
    public const string DataKey = "platformbot";

    /// <summary>Teams refuses messages over ~40–100 KB depending on client; cards over 28 KB are reported to fail, so we stay under it.</summary>
    public const int MaxCardBytes = 28 * 1024;

    private const string SelectInputPrefix = "platformbot.select.";

    /// <summary>How many actions Teams shows in one row before it folds the rest into an overflow menu.</summary>
    private const int MaxActionsPerRow = 6;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>A message activity carrying the reply as a card.</summary>
    public static Activity Message(Reply reply, string? publicBaseUrl = null)
    {
        var plainText = reply.ToPlainText();
        var card = Card(reply, plainText, publicBaseUrl);
        var activity = new Activity
        {
            Type = Activity.Message,
            Summary = Shorten(plainText, 250),
            Attachments = [new Attachment { ContentType = Attachment.AdaptiveCard, Content = card }],
        };
        var mentions = Mentions(reply);
        if (mentions.Count > 0)
        {
            activity.Text = string.Join(' ', mentions.Select(MentionTag));
            activity.TextFormat = "xml";
            activity.Entities = [.. mentions.Select(m => new Entity { Type = "mention", Text = MentionTag(m), Mentioned = new ChannelAccount { Id = m.Id, Name = m.Name } })];
        }

        return activity;
    }

    /// <summary>The reply as an Adaptive Card (its UTF-8 JSON), shortened to fit when it is too big.</summary>
    public static RawJson Card(Reply reply, string? publicBaseUrl = null) => Card(reply, reply.ToPlainText(), publicBaseUrl);

    private static RawJson Card(Reply reply, string plainText, string? publicBaseUrl)
    {
        var blocks = reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks;
        var fallbackText = Shorten(plainText, 1000);
        if (Build(reply, fallbackText, blocks.Length, publicBaseUrl, omitted: 0, MaxCardBytes) is { } card)
        {
            return card;
        }

        // Keep as many leading blocks as fit, and say that the rest is missing.
        for (var keep = blocks.Length - 1; keep >= 0; keep--)
        {
            if (Build(reply, fallbackText, keep, publicBaseUrl, omitted: blocks.Length - keep, MaxCardBytes) is { } shortened)
            {
                return shortened;
            }
        }

        var formless = reply with { Form = null };
        return Build(formless, Shorten(formless.ToPlainText(), 1000), 0, publicBaseUrl, omitted: blocks.Length, int.MaxValue)!;
    }

    /// <summary>The body of an invoke response that replaces the card for the person who clicked (Universal Actions).</summary>
    public static JsonObject InvokeCard(RawJson card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = Attachment.AdaptiveCard,
        ["value"] = card.ToNode(),
    };

    /// <summary>The body of an invoke response that shows a short note to the person who clicked.</summary>
    public static JsonObject InvokeMessage(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = "application/vnd.microsoft.activity.message",
        ["value"] = text,
    };

    public static JsonObject InvokeError(int status, string code, string message) => new()
    {
        ["statusCode"] = status,
        ["type"] = "application/vnd.microsoft.error",
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    public static bool IsSelectInput(string inputId) => inputId.StartsWith(SelectInputPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The card with the reply's first <paramref name="blockCount"/> blocks, and a note when <paramref name="omitted"/> were
    /// left out; null when it is bigger than <paramref name="maxBytes"/>.
    /// </summary>
    private static RawJson? Build(Reply reply, string fallbackText, int blockCount, string? publicBaseUrl, int omitted, int maxBytes)
    {
        // Rendering never awaits, so each thread keeps one buffer and writer for its cards; only the card's own bytes are new.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("type", "AdaptiveCard");
        writer.WriteString("$schema", SchemaUrl);
        writer.WriteString("version", Version);
        writer.WriteString("fallbackText", fallbackText);
        writer.WriteStartArray("body");
        var body = new Body(writer, publicBaseUrl);
        var blocks = reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks;
        for (var i = 0; i < blockCount; i++)
        {
            body.Add(blocks[i]);
        }

        if (omitted > 0)
        {
            body.Paragraphs(Md.Text($"_This message was shortened to fit Teams: {omitted} more part(s) are not shown._"), new Look(Subtle: true));
        }

        if (reply.Form is { } form)
        {
            body.AddForm(form);
        }

        if (body.Count == 0)
        {
            body.Paragraphs(RichText.Plain(reply.Summary ?? " "), default);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();

        var card = buffer.WrittenCount <= maxBytes ? new RawJson(buffer.WrittenSpan.ToArray()) : null;
        if (card is not null && buffer.Capacity > 4 * MaxCardBytes)
        {
            // Grown by a huge reply's tries: kept while it is shortened, not for the thread's next card.
            t_buffer = null;
            t_writer = null;
        }

        return card;
    }

    /// <summary>The Teams users the reply's text mentions, each once, in order.</summary>
    private static List<UserRef> Mentions(Reply reply)
    {
        var mentions = new List<UserRef>();
        foreach (var block in reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks)
        {
            switch (block)
            {
                case HeaderBlock h:
                    Add(h.Text);
                    break;
                case TextBlock t:
                    Add(t.Text);
                    break;
                case SectionBlock s:
                    if (s.Text is not null)
                    {
                        Add(s.Text);
                    }

                    foreach (var field in s.Fields.IsDefault ? [] : s.Fields)
                    {
                        Add(field.Value);
                    }

                    break;
                case ContextBlock c:
                    foreach (var item in c.Items)
                    {
                        Add(item);
                    }

                    break;
                default:
                    break;
            }
        }

        return mentions;

        void Add(RichText text)
        {
            foreach (var run in text.Runs.IsDefault ? [] : text.Runs)
            {
                if (run.Mention is { Channel: PlatformBot.Conversations.Channels.Teams } mention && !mentions.Exists(m => m.Id == mention.Id))
                {
                    mentions.Add(mention);
                }
            }
        }
    }

    private static string MentionTag(UserRef user) => $"<at>{user.Name.Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal)}</at>";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>How a paragraph's runs look, on top of each run's own style; <see cref="Tight"/>: no space above its first line either.</summary>
    private readonly record struct Look(string? Size = null, bool Bold = false, bool Subtle = false, string? Color = null, bool Tight = false);

    /// <summary>What an action carries under <see cref="DataKey"/>: the action id, and a button's value, a select's input or a form's state.</summary>
    private readonly record struct ActionData(string ActionId, string? Value = null, string? SelectInput = null, bool IsForm = false, string? State = null)
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteStartObject(DataKey);
            writer.WriteString("action", ActionId);
            if (Value is not null)
            {
                writer.WriteString("value", Value);
            }

            if (SelectInput is not null)
            {
                writer.WriteString("select", SelectInput);
            }

            if (IsForm)
            {
                writer.WriteBoolean("form", true);
                if (State is not null)
                {
                    writer.WriteString("state", State);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes the card's body element by element, straight into the card's JSON.</summary>
    private sealed class Body(Utf8JsonWriter writer, string? publicBaseUrl)
    {
        private bool _separatorNext;
        private int _selects;

        /// <summary>How many elements the body has so far.</summary>
        public int Count { get; private set; }

        private Utf8JsonWriter Writer => writer;

        public void Add(Block block)
        {
            switch (block)
            {
                case HeaderBlock h:
                    Paragraphs(h.Text, new Look(Size: "medium", Bold: true));
                    break;
                case TextBlock t:
                    Paragraphs(t.Text, default);
                    break;
                case SectionBlock s:
                    if (s.Text is { IsEmpty: false } text)
                    {
                        Paragraphs(text, default);
                    }

                    foreach (var field in s.Fields.IsDefault ? [] : s.Fields)
                    {
                        var paragraph = new Paragraph(this, new Look(Tight: true));
                        paragraph.Add(new Inline(field.Label + ": ", TextStyle.Bold));
                        paragraph.Add(field.Value);
                        paragraph.End();
                    }

                    break;
                case ContextBlock c:
                    // The items on one line, a separator between those that have runs.
                    var context = new Paragraph(this, new Look(Subtle: true));
                    var any = false;
                    foreach (var item in c.Items)
                    {
                        if (any)
                        {
                            context.Add(ItemSeparator);
                        }

                        context.Add(item);
                        any |= !item.Runs.IsDefaultOrEmpty;
                    }

                    context.End();
                    break;
                case ImageBlock i:
                    if (AbsoluteUrl(i.Url) is { } url)
                    {
                        Begin("Image");
                        writer.WriteString("url", url);
                        writer.WriteString("altText", i.AltText);
                        End();
                    }
                    else
                    {
                        Paragraphs(RichText.Plain($"[image: {i.AltText}]"), new Look(Subtle: true));
                    }

                    break;
                case DividerBlock:
                    _separatorNext = true;
                    break;
                case ActionsBlock a:
                    Actions(a);
                    break;
                default:
                    Paragraphs(RichText.Plain(block.ToPlainText()), default);
                    break;
            }
        }

        public void AddForm(Form form)
        {
            Paragraphs(RichText.Plain(form.Title), new Look(Size: "medium", Bold: true));
            foreach (var error in form.Errors.Where(e => !form.Fields.Any(f => f.Name == e.Key)))
            {
                Paragraphs(RichText.Plain(error.Value), new Look(Color: "attention"));
            }

            foreach (var field in form.Fields)
            {
                if (field.Kind == FormFieldKind.Select)
                {
                    Begin("Input.ChoiceSet");
                    writer.WriteString("id", field.Name);
                    writer.WriteString("label", field.Label);
                    writer.WriteString("style", "compact");
                    Choices(field.Options);
                }
                else
                {
                    Begin("Input.Text");
                    writer.WriteString("id", field.Name);
                    writer.WriteString("label", field.Label);
                    writer.WriteBoolean("isMultiline", field.Kind == FormFieldKind.MultilineText);
                }

                if (field.Required)
                {
                    writer.WriteBoolean("isRequired", true);
                    writer.WriteString("errorMessage", $"{field.Label} is required.");
                }

                if (field.Initial is { } initial)
                {
                    writer.WriteString("value", initial);
                }

                if (field.Placeholder is { } placeholder)
                {
                    writer.WriteString("placeholder", placeholder);
                }

                if (field.MaxLength is { } max && field.Kind != FormFieldKind.Select)
                {
                    writer.WriteNumber("maxLength", max);
                }

                End();
                if (form.Errors.TryGetValue(field.Name, out var error))
                {
                    Paragraphs(RichText.Plain(error), new Look(Color: "attention", Tight: true));
                }
            }

            Begin("ActionSet");
            writer.WriteStartArray("actions");
            Execute(form.SubmitLabel, form.FormId, new ActionData(form.FormId, IsForm: true, State: form.State), ButtonStyle.Primary, associatedInputs: true);
            writer.WriteEndArray();
            End();
        }

        private void Actions(ActionsBlock block)
        {
            // A select is an input in the body, above the block's buttons, and an Apply button among them.
            var firstSelect = _selects;
            foreach (var element in block.Elements)
            {
                if (element is Select s)
                {
                    Begin("Input.ChoiceSet");
                    writer.WriteString("id", SelectInputPrefix + _selects++);
                    writer.WriteString("label", s.Label);
                    writer.WriteString("style", "compact");
                    Choices(s.Options);
                    if (s.Initial is { } initial)
                    {
                        writer.WriteString("value", initial);
                    }

                    End();
                }
            }

            // Teams shows six actions in a row and hides the rest behind "…" (an NPS scale has eleven): one row per six.
            var select = firstSelect;
            var actions = 0;
            foreach (var element in block.Elements)
            {
                if (element is not (Button or Select))
                {
                    continue;
                }

                if (actions % MaxActionsPerRow == 0)
                {
                    if (actions > 0)
                    {
                        EndActionSet(actions - 1);
                    }

                    Begin("ActionSet");
                    writer.WriteStartArray("actions");
                }

                if (element is Button b)
                {
                    Execute(b.Label, b.ActionId, new ActionData(b.ActionId, Value: b.Value), b.Style, associatedInputs: false);
                }
                else if (element is Select s)
                {
                    Execute("Apply", s.ActionId, new ActionData(s.ActionId, SelectInput: SelectInputPrefix + select++), ButtonStyle.Default, associatedInputs: true);
                }

                actions++;
            }

            if (actions > 0)
            {
                EndActionSet(actions - 1);
            }
        }

        /// <summary>Ends the row of actions that holds action number <paramref name="last"/>; rows after the first sit closer.</summary>
        private void EndActionSet(int last)
        {
            writer.WriteEndArray();
            End(last >= MaxActionsPerRow ? "small" : null);
        }

        private void Execute(string title, string actionId, ActionData data, ButtonStyle style, bool associatedInputs)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Action.Execute");
            writer.WriteString("title", title);
            writer.WriteString("verb", actionId);
            writer.WritePropertyName("data");
            data.WriteTo(writer);
            if (associatedInputs)
            {
                writer.WriteString("associatedInputs", "auto");
            }

            if (style != ButtonStyle.Default)
            {
                writer.WriteString("style", style == ButtonStyle.Danger ? "destructive" : "positive");
            }

            // Clients without Universal Actions send the same data as a message (teams-protocol.md §4).
            writer.WriteStartObject("fallback");
            writer.WriteString("type", "Action.Submit");
            writer.WriteString("title", title);
            writer.WritePropertyName("data");
            data.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        private void Choices(System.Collections.Immutable.ImmutableArray<Option> options)
        {
            writer.WriteStartArray("choices");
            foreach (var option in options.IsDefault ? [] : options)
            {
                writer.WriteStartObject();
                writer.WriteString("title", option.Label);
                writer.WriteString("value", option.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        /// <summary>Rich text as one RichTextBlock per line; every run a TextRun.</summary>
        public void Paragraphs(RichText text, Look look)
        {
            var paragraph = new Paragraph(this, look);
            paragraph.Add(text);
            paragraph.End();
        }

        /// <summary>Starts a body element (its type first); <see cref="End"/> finishes it.</summary>
        private void Begin(string type)
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
        }

        /// <summary>
        /// Finishes a body element, with its own <paramref name="spacing"/> (always its last property) if any. The first element
        /// after a divider gets the separator, its spacing standing where the element's own would have.
        /// </summary>
        private void End(string? spacing = null)
        {
            if (_separatorNext)
            {
                if (spacing is null)
                {
                    writer.WriteBoolean("separator", true);
                    writer.WriteString("spacing", "medium");
                }
                else
                {
                    writer.WriteString("spacing", "medium");
                    writer.WriteBoolean("separator", true);
                }

                _separatorNext = false;
            }
            else if (spacing is not null)
            {
                writer.WriteString("spacing", spacing);
            }

            writer.WriteEndObject();
            Count++;
        }

        private string? AbsoluteUrl(string url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
            {
                return absolute.AbsoluteUri;
            }

            return url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !string.IsNullOrEmpty(publicBaseUrl)
                ? publicBaseUrl.TrimEnd('/') + url
                : null;
        }

        private static readonly Inline ItemSeparator = new(" · ");

        /// <summary>
        /// Runs written as RichTextBlocks, one per line: a line break in a run ends the block, and a block is only written
        /// once it has a run (empty lines are dropped). Every line but the first sits close to the one above.
        /// </summary>
        private struct Paragraph(Body body, Look look)
        {
            private bool _open;
            private bool _first = true;

            public void Add(RichText text)
            {
                foreach (var run in text.Runs.IsDefault ? [] : text.Runs)
                {
                    Add(run);
                }
            }

            public void Add(Inline run)
            {
                var text = (run.Mention is { } m ? "@" + m.Name : run.Text).AsSpan();
                while (true)
                {
                    var end = text.IndexOf('\n');
                    var part = end < 0 ? text : text[..end];
                    if (part.Length > 0)
                    {
                        TextRun(part, run);
                    }

                    if (end < 0)
                    {
                        return;
                    }

                    Flush();
                    text = text[(end + 1)..];
                }
            }

            public void End() => Flush();

            private void Flush()
            {
                if (!_open)
                {
                    return;
                }

                body.Writer.WriteEndArray();
                body.End(!_first || look.Tight ? "none" : null);
                _open = false;
                _first = false;
            }

            private void TextRun(ReadOnlySpan<char> text, Inline run)
            {
                var writer = body.Writer;
                if (!_open)
                {
                    body.Begin("RichTextBlock");
                    writer.WriteStartArray("inlines");
                    _open = true;
                }

                writer.WriteStartObject();
                writer.WriteString("type", "TextRun");
                writer.WriteString("text", text);
                if (look.Size is not null)
                {
                    writer.WriteString("size", look.Size);
                }

                if (look.Bold || run.Style.HasFlag(TextStyle.Bold) || run.Mention is not null)
                {
                    writer.WriteString("weight", "bolder");
                }

                if (run.Style.HasFlag(TextStyle.Italic))
                {
                    writer.WriteBoolean("italic", true);
                }

                if (run.Style.HasFlag(TextStyle.Code))
                {
                    writer.WriteString("fontType", "monospace");
                }

                if (look.Subtle)
                {
                    writer.WriteBoolean("isSubtle", true);
                    if (look.Size is null)
                    {
                        writer.WriteString("size", "small");
                    }
                }

                if (look.Color is not null)
                {
                    writer.WriteString("color", look.Color);
                }

                if (run.Url is { } url && body.AbsoluteUrl(url) is { } absolute)
                {
                    writer.WriteStartObject("selectAction");
                    writer.WriteString("type", "Action.OpenUrl");
                    writer.WriteString("url", absolute);
                    writer.WriteEndObject();
                    writer.WriteBoolean("underline", true);
                }

                writer.WriteEndObject();
            }
        }
    }

    /// <summary>Reads our data back from a card action (an invoke's <c>action.data</c>, or an Action.Submit message's value).</summary>
    public static CardAction? ReadAction(JsonElement data, string? verb)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(DataKey, out var ours) || ours.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var actionId = ours.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : verb;
        if (string.IsNullOrEmpty(actionId))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject().Where(p => p.Name != DataKey && p.Name != "msteams"))
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => string.Empty,
                _ => property.Value.GetRawText(),
            };
        }

        string? value = ours.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (ours.TryGetProperty("select", out var s) && s.ValueKind == JsonValueKind.String && values.TryGetValue(s.GetString()!, out var selected))
        {
            value = selected;
        }

        var isForm = ours.TryGetProperty("form", out var f) && f.ValueKind == JsonValueKind.True;
        var state = ours.TryGetProperty("state", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
        foreach (var key in values.Keys.Where(IsSelectInput).ToList())
        {
            values.Remove(key);
        }

        return new CardAction(actionId, value, isForm ? values : new Dictionary<string, string>(), isForm, state);
    }
}

/// <summary>What a card click or submission carried: the action id, a button's value or a select's choice, a form's values.</summary>
internal sealed record CardAction(string ActionId, string? Value, IReadOnlyDictionary<string, string> Values, bool IsFormSubmission, string? State);
