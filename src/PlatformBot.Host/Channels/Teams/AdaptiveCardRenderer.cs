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
/// card schema has no place for them) and show as bold names in the card.
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

    /// <summary>A message activity carrying the reply as a card.</summary>
    public static Activity Message(Reply reply, string? publicBaseUrl = null)
    {
        var card = Card(reply, publicBaseUrl);
        var activity = new Activity
        {
            Type = Activity.Message,
            Summary = Shorten(reply.ToPlainText(), 250),
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
    public static RawJson Card(Reply reply, string? publicBaseUrl = null)
    {
        var blocks = reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks;
        var card = Build(reply, blocks.Length, publicBaseUrl, omitted: 0);
        if (card.Length <= MaxCardBytes)
        {
            return card;
        }

        // Keep as many leading blocks as fit, and say that the rest is missing.
        for (var keep = blocks.Length - 1; keep >= 0; keep--)
        {
            card = Build(reply, keep, publicBaseUrl, omitted: blocks.Length - keep);
            if (card.Length <= MaxCardBytes)
            {
                return card;
            }
        }

        return Build(reply with { Form = null }, 0, publicBaseUrl, omitted: blocks.Length);
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

    private static RawJson Build(Reply reply, int blockCount, string? publicBaseUrl, int omitted)
    {
        var body = new Body(publicBaseUrl);
        var blocks = reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks;
        for (var i = 0; i < blockCount; i++)
        {
            body.Add(blocks[i]);
        }

        if (omitted > 0)
        {
            body.Paragraphs(Md.Text($"_This message was shortened to fit Teams: {omitted} more part(s) are not shown._"), subtle: true);
        }

        if (reply.Form is { } form)
        {
            body.AddForm(form);
        }

        if (body.Elements.Count == 0)
        {
            body.Paragraphs(RichText.Plain(reply.Summary ?? " "));
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = SchemaUrl,
            ["version"] = Version,
            ["fallbackText"] = Shorten(reply.ToPlainText(), 1000),
            ["body"] = new JsonArray([.. body.Elements]),
        };
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            card.WriteTo(writer);
        }

        return new RawJson(buffer.WrittenSpan.ToArray());
    }

    private static List<UserRef> Mentions(Reply reply)
    {
        var texts = (reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks).SelectMany(b => b switch
        {
            HeaderBlock h => [h.Text],
            TextBlock t => [t.Text],
            SectionBlock s => (s.Text is null ? [] : new[] { s.Text }).Concat((s.Fields.IsDefault ? [] : s.Fields).Select(f => f.Value)),
            ContextBlock c => c.Items,
            _ => [],
        });
        return [.. texts.SelectMany(t => t.Runs.IsDefault ? [] : t.Runs).Select(r => r.Mention).OfType<UserRef>()
            .Where(m => m.Channel == PlatformBot.Conversations.Channels.Teams).DistinctBy(m => m.Id)];
    }

    private static string MentionTag(UserRef user) => $"<at>{user.Name.Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal)}</at>";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Builds the card's body element by element.</summary>
    private sealed class Body(string? publicBaseUrl)
    {
        private bool _separatorNext;
        private int _selects;

        public List<JsonNode?> Elements { get; } = [];

        public void Add(Block block)
        {
            switch (block)
            {
                case HeaderBlock h:
                    Paragraphs(h.Text, size: "medium", bold: true);
                    break;
                case TextBlock t:
                    Paragraphs(t.Text);
                    break;
                case SectionBlock s:
                    if (s.Text is { IsEmpty: false } text)
                    {
                        Paragraphs(text);
                    }

                    foreach (var field in s.Fields.IsDefault ? [] : s.Fields)
                    {
                        Paragraphs(new RichText([new Inline(field.Label + ": ", TextStyle.Bold), .. field.Value.Runs.IsDefault ? [] : field.Value.Runs]), tight: true);
                    }

                    break;
                case ContextBlock c:
                    var items = new List<Inline>();
                    foreach (var item in c.Items)
                    {
                        if (items.Count > 0)
                        {
                            items.Add(new Inline(" · "));
                        }

                        items.AddRange(item.Runs.IsDefault ? [] : item.Runs);
                    }

                    Paragraphs(new RichText([.. items]), subtle: true);
                    break;
                case ImageBlock i:
                    if (AbsoluteUrl(i.Url) is { } url)
                    {
                        Element(new JsonObject { ["type"] = "Image", ["url"] = url, ["altText"] = i.AltText });
                    }
                    else
                    {
                        Paragraphs(RichText.Plain($"[image: {i.AltText}]"), subtle: true);
                    }

                    break;
                case DividerBlock:
                    _separatorNext = true;
                    break;
                case ActionsBlock a:
                    Actions(a);
                    break;
                default:
                    Paragraphs(RichText.Plain(block.ToPlainText()));
                    break;
            }
        }

        public void AddForm(Form form)
        {
            Paragraphs(RichText.Plain(form.Title), size: "medium", bold: true);
            foreach (var error in form.Errors.Where(e => !form.Fields.Any(f => f.Name == e.Key)))
            {
                Paragraphs(RichText.Plain(error.Value), color: "attention");
            }

            foreach (var field in form.Fields)
            {
                var input = field.Kind == FormFieldKind.Select
                    ? new JsonObject
                    {
                        ["type"] = "Input.ChoiceSet",
                        ["id"] = field.Name,
                        ["label"] = field.Label,
                        ["style"] = "compact",
                        ["choices"] = Choices(field.Options),
                    }
                    : new JsonObject
                    {
                        ["type"] = "Input.Text",
                        ["id"] = field.Name,
                        ["label"] = field.Label,
                        ["isMultiline"] = field.Kind == FormFieldKind.MultilineText,
                    };
                if (field.Required)
                {
                    input["isRequired"] = true;
                    input["errorMessage"] = $"{field.Label} is required.";
                }

                if (field.Initial is { } initial)
                {
                    input["value"] = initial;
                }

                if (field.Placeholder is { } placeholder)
                {
                    input["placeholder"] = placeholder;
                }

                if (field.MaxLength is { } max && field.Kind != FormFieldKind.Select)
                {
                    input["maxLength"] = max;
                }

                Element(input);
                if (form.Errors.TryGetValue(field.Name, out var error))
                {
                    Paragraphs(RichText.Plain(error), color: "attention", tight: true);
                }
            }

            var data = new JsonObject { ["action"] = form.FormId, ["form"] = true };
            if (form.State is not null)
            {
                data["state"] = form.State;
            }

            Element(new JsonObject
            {
                ["type"] = "ActionSet",
                ["actions"] = new JsonArray(Execute(form.SubmitLabel, form.FormId, data, ButtonStyle.Primary, associatedInputs: true)),
            });
        }

        private void Actions(ActionsBlock block)
        {
            var actions = new JsonArray();
            foreach (var element in block.Elements)
            {
                switch (element)
                {
                    case Button b:
                        actions.Add(Execute(b.Label, b.ActionId, new JsonObject { ["action"] = b.ActionId, ["value"] = b.Value }, b.Style, associatedInputs: false));
                        break;
                    case Select s:
                        var inputId = SelectInputPrefix + _selects++;
                        var choice = new JsonObject
                        {
                            ["type"] = "Input.ChoiceSet",
                            ["id"] = inputId,
                            ["label"] = s.Label,
                            ["style"] = "compact",
                            ["choices"] = Choices(s.Options),
                        };
                        if (s.Initial is { } initial)
                        {
                            choice["value"] = initial;
                        }

                        Element(choice);
                        actions.Add(Execute("Apply", s.ActionId, new JsonObject { ["action"] = s.ActionId, ["select"] = inputId }, ButtonStyle.Default, associatedInputs: true));
                        break;
                    default:
                        break;
                }
            }

            // Teams shows six actions in a row and hides the rest behind "…" (an NPS scale has eleven): one row per six.
            var all = actions.Select(a => a!.DeepClone()).ToList();
            for (var row = 0; row < all.Count; row += MaxActionsPerRow)
            {
                var set = new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. all.Skip(row).Take(MaxActionsPerRow)]) };
                if (row > 0)
                {
                    set["spacing"] = "small";
                }

                Element(set);
            }
        }

        private static JsonObject Execute(string title, string actionId, JsonObject data, ButtonStyle style, bool associatedInputs)
        {
            var action = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["title"] = title,
                ["verb"] = actionId,
                ["data"] = new JsonObject { [DataKey] = data },
            };
            if (associatedInputs)
            {
                action["associatedInputs"] = "auto";
            }

            if (style != ButtonStyle.Default)
            {
                action["style"] = style == ButtonStyle.Danger ? "destructive" : "positive";
            }

            // Clients without Universal Actions send the same data as a message (teams-protocol.md §4).
            action["fallback"] = new JsonObject
            {
                ["type"] = "Action.Submit",
                ["title"] = title,
                ["data"] = new JsonObject { [DataKey] = data.DeepClone() },
            };
            return action;
        }

        private static JsonArray Choices(System.Collections.Immutable.ImmutableArray<Option> options) =>
            new([.. (options.IsDefault ? [] : options).Select(o => (JsonNode)new JsonObject { ["title"] = o.Label, ["value"] = o.Value })]);

        /// <summary>Rich text as one RichTextBlock per line; every run a TextRun.</summary>
        public void Paragraphs(RichText text, string? size = null, bool bold = false, bool subtle = false, string? color = null, bool tight = false)
        {
            var line = new List<JsonNode?>();
            var first = true;

            void Flush()
            {
                if (line.Count == 0)
                {
                    return;
                }

                var block = new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray([.. line]) };
                if (!first || tight)
                {
                    block["spacing"] = "none";
                }

                Element(block);
                line = [];
                first = false;
            }

            foreach (var run in text.Runs.IsDefault ? [] : text.Runs)
            {
                var parts = (run.Mention is { } m ? "@" + m.Name : run.Text).Split('\n');
                for (var p = 0; p < parts.Length; p++)
                {
                    if (p > 0)
                    {
                        Flush();
                    }

                    if (parts[p].Length > 0)
                    {
                        line.Add(TextRun(parts[p], run, size, bold, subtle, color));
                    }
                }
            }

            Flush();
        }

        private JsonObject TextRun(string text, Inline run, string? size, bool bold, bool subtle, string? color)
        {
            var node = new JsonObject { ["type"] = "TextRun", ["text"] = text };
            if (size is not null)
            {
                node["size"] = size;
            }

            if (bold || run.Style.HasFlag(TextStyle.Bold) || run.Mention is not null)
            {
                node["weight"] = "bolder";
            }

            if (run.Style.HasFlag(TextStyle.Italic))
            {
                node["italic"] = true;
            }

            if (run.Style.HasFlag(TextStyle.Code))
            {
                node["fontType"] = "monospace";
            }

            if (subtle)
            {
                node["isSubtle"] = true;
                node["size"] ??= "small";
            }

            if (color is not null)
            {
                node["color"] = color;
            }

            if (run.Url is { } url && AbsoluteUrl(url) is { } absolute)
            {
                node["selectAction"] = new JsonObject { ["type"] = "Action.OpenUrl", ["url"] = absolute };
                node["underline"] = true;
            }

            return node;
        }

        private void Element(JsonObject element)
        {
            if (_separatorNext)
            {
                element["separator"] = true;
                element["spacing"] = "medium";
                _separatorNext = false;
            }

            Elements.Add(element);
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
