using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Renders <see cref="Reply"/> documents into Block Kit. Every run of text in mrkdwn is escaped (<c>&amp;</c>, <c>&lt;</c>,
/// <c>&gt;</c>), so user text never becomes a mention, a link or <c>&lt;!channel&gt;</c>; only our own markup adds
/// styles, links and mentions; titles, labels and options go out as escaped <c>plain_text</c>.
/// Slack's limits are respected: 50 blocks per message and 100 per view, 3,000 characters per section, 10 fields,
/// 25 elements per actions block, 150 characters per header, 75 per button label.
/// </summary>
internal static partial class BlockKitRenderer
{
    public const int MaxMessageBlocks = 50;
    public const int MaxViewBlocks = 100;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxActionElements = 25;
    public const int MaxContextElements = 10;
    public const int MaxHeaderText = 150;
    public const int MaxButtonText = 75;
    public const int MaxValue = 2000;
    public const int MaxFallbackText = 3000;
    public const int MaxModalTitle = 24;
    public const int MaxPrivateMetadata = 3000;
    public const int MaxOptions = 100;

    /// <summary>A chat.postMessage / chat.update / response_url body: fallback text and blocks.</summary>
    public static JsonObject Message(Reply reply, Uri? publicBaseUrl = null) => new()
    {
        ["text"] = Truncate(Escape(reply.ToPlainText()), MaxFallbackText),
        ["blocks"] = Blocks(reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks, MaxMessageBlocks, publicBaseUrl),
    };

    public static JsonArray Blocks(IEnumerable<Block> blocks, int maxBlocks, Uri? publicBaseUrl)
    {
        var rendered = new List<JsonObject>();
        foreach (var block in blocks)
        {
            rendered.AddRange(Render(block, publicBaseUrl));
        }

        if (rendered.Count > maxBlocks)
        {
            var dropped = rendered.Count - (maxBlocks - 1);
            rendered = rendered[..(maxBlocks - 1)];
            rendered.Add(Context([$"…and {dropped} more block(s) that Slack cannot show in one message."]));
        }

        return new JsonArray([.. rendered]);
    }

    /// <summary>A modal for a form; the handler's state and where the form came from ride in <c>private_metadata</c>.</summary>
    public static JsonObject Modal(Form form, string privateMetadata)
    {
        var blocks = new JsonArray();
        foreach (var field in form.Fields.Take(MaxViewBlocks))
        {
            blocks.Add(Input(field));
        }

        var view = new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = Truncate(form.FormId, 255),
            ["title"] = PlainText(form.Title, MaxModalTitle),
            ["submit"] = PlainText(form.SubmitLabel, MaxModalTitle),
            ["close"] = PlainText("Cancel", MaxModalTitle),
            ["private_metadata"] = privateMetadata.Length <= MaxPrivateMetadata ? privateMetadata : string.Empty,
            ["blocks"] = blocks,
        };
        return view;
    }

    /// <summary>The acknowledgement of a refused submission: field errors shown under the fields.</summary>
    public static JsonObject Errors(Form form)
    {
        var errors = new JsonObject();
        var names = form.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, message) in form.Errors)
        {
            // an error for a field the modal does not have would make Slack refuse the whole answer
            errors[names.Contains(name) ? name : form.Fields.FirstOrDefault()?.Name ?? name] = Truncate(message, MaxHeaderText);
        }

        return new JsonObject { ["response_action"] = "errors", ["errors"] = errors };
    }

    public static JsonObject Home(IEnumerable<Block> blocks, Uri? publicBaseUrl) => new()
    {
        ["type"] = "home",
        ["blocks"] = Blocks(blocks, MaxViewBlocks, publicBaseUrl),
    };

    /// <summary>Slack's three control characters, and nothing else.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Mrkdwn(RichText text, Uri? publicBaseUrl = null)
    {
        var sb = new StringBuilder();
        foreach (var run in text.Runs.IsDefault ? [] : text.Runs)
        {
            if (run.Mention is { } person)
            {
                sb.Append(person.Channel == PlatformBot.Conversations.Channels.Slack && SlackId().IsMatch(person.Id)
                    ? $"<@{person.Id}>"
                    : Escape("@" + person.Name));
                continue;
            }

            var body = Escape(run.Text);
            if (run.Style.HasFlag(TextStyle.Code))
            {
                body = Wrap(body, '`');
            }

            if (run.Style.HasFlag(TextStyle.Italic))
            {
                body = Wrap(body, '_');
            }

            if (run.Style.HasFlag(TextStyle.Bold))
            {
                body = Wrap(body, '*');
            }

            if (run.Url is { } url && Absolute(url, publicBaseUrl) is { } target)
            {
                body = $"<{Escape(target.AbsoluteUri).Replace("|", "%7C", StringComparison.Ordinal)}|{body}>";
            }

            sb.Append(body);
        }

        return sb.ToString();
    }

    private static IEnumerable<JsonObject> Render(Block block, Uri? publicBaseUrl)
    {
        switch (block)
        {
            case HeaderBlock h:
                yield return new JsonObject { ["type"] = "header", ["text"] = PlainText(h.Text.ToPlainText(), MaxHeaderText) };
                break;
            case TextBlock t:
                foreach (var chunk in Chunks(Mrkdwn(t.Text, publicBaseUrl), MaxSectionText))
                {
                    yield return new JsonObject { ["type"] = "section", ["text"] = MrkdwnText(chunk) };
                }

                break;
            case SectionBlock s:
                foreach (var section in Section(s, publicBaseUrl))
                {
                    yield return section;
                }

                break;
            case ActionsBlock a:
                foreach (var group in a.Elements.Chunk(MaxActionElements))
                {
                    yield return new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. group.Select(Element)]) };
                }

                break;
            case ContextBlock c:
                foreach (var group in c.Items.Chunk(MaxContextElements))
                {
                    yield return Context(group.Select(i => Mrkdwn(i, publicBaseUrl)));
                }

                break;
            case ImageBlock i when Absolute(i.Url, publicBaseUrl) is { } url:
                yield return new JsonObject { ["type"] = "image", ["image_url"] = url.AbsoluteUri, ["alt_text"] = Truncate(i.AltText, MaxValue) };
                break;
            case ImageBlock i:
                yield return Context([Escape($"[image: {i.AltText}]")]); // a relative chart URL with no public base URL to reach it
                break;
            case DividerBlock:
                yield return new JsonObject { ["type"] = "divider" };
                break;
            default:
                yield return new JsonObject { ["type"] = "section", ["text"] = MrkdwnText(Truncate(Escape(block.ToPlainText()), MaxSectionText)) };
                break;
        }
    }

    private static IEnumerable<JsonObject> Section(SectionBlock s, Uri? publicBaseUrl)
    {
        var fields = (s.Fields.IsDefault ? [] : s.Fields)
            .Select(f => MrkdwnText(Truncate($"*{Escape(f.Label)}*\n{Mrkdwn(f.Value, publicBaseUrl)}", MaxFieldText)))
            .ToList();
        var textChunks = s.Text is { IsEmpty: false } text ? Chunks(Mrkdwn(text, publicBaseUrl), MaxSectionText).ToList() : [];
        var first = true;
        foreach (var chunk in textChunks.Count == 0 && fields.Count > 0 ? [null] : textChunks.Cast<string?>())
        {
            var section = new JsonObject { ["type"] = "section" };
            if (chunk is not null)
            {
                section["text"] = MrkdwnText(chunk);
            }

            if (first && fields.Count > 0)
            {
                section["fields"] = new JsonArray([.. fields.Take(MaxFields)]);
            }

            first = false;
            yield return section;
        }

        foreach (var more in fields.Skip(MaxFields).Chunk(MaxFields))
        {
            yield return new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. more]) };
        }
    }

    private static JsonNode Element(ActionElement element) => element switch
    {
        Button b => ButtonElement(b),
        Select s => new JsonObject
        {
            ["type"] = "static_select",
            ["action_id"] = Truncate(s.ActionId, 255),
            ["placeholder"] = PlainText(s.Label, MaxButtonText),
            ["options"] = new JsonArray([.. s.Options.Take(MaxOptions).Select(OptionObject)]),
        }.WithInitial(s.Initial is null ? null : s.Options.FirstOrDefault(o => o.Value == s.Initial)),
        _ => new JsonObject(),
    };

    private static JsonObject ButtonElement(Button b)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = Truncate(b.ActionId, 255),
            ["text"] = PlainText(b.Label, MaxButtonText),
            ["value"] = Truncate(b.Value, MaxValue),
        };
        if (b.Style != ButtonStyle.Default)
        {
            button["style"] = b.Style == ButtonStyle.Primary ? "primary" : "danger";
        }

        return button;
    }

    private static JsonObject WithInitial(this JsonObject select, Option? initial)
    {
        if (initial is not null)
        {
            select["initial_option"] = OptionObject(initial);
        }

        return select;
    }

    private static JsonObject OptionObject(Option o) => new() { ["text"] = PlainText(o.Label, MaxButtonText), ["value"] = Truncate(o.Value, 150) };

    private static JsonObject Input(FormField field)
    {
        JsonObject element;
        if (field.Kind == FormFieldKind.Select)
        {
            var options = field.Options.IsDefault ? [] : field.Options;
            element = new JsonObject
            {
                ["type"] = "static_select",
                ["action_id"] = field.Name,
                ["options"] = new JsonArray([.. options.Take(MaxOptions).Select(OptionObject)]),
            }.WithInitial(field.Initial is null ? null : options.FirstOrDefault(o => o.Value == field.Initial));
        }
        else
        {
            element = new JsonObject
            {
                ["type"] = "plain_text_input",
                ["action_id"] = field.Name,
                ["multiline"] = field.Kind == FormFieldKind.MultilineText,
            };
            if (field.Initial is { Length: > 0 } initial)
            {
                element["initial_value"] = Truncate(initial, 3000);
            }

            if (field.MaxLength is { } max)
            {
                element["max_length"] = Math.Clamp(max, 1, 3000);
            }
        }

        if (field.Placeholder is { Length: > 0 } placeholder)
        {
            element["placeholder"] = PlainText(placeholder, 150);
        }

        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = field.Name,
            ["label"] = PlainText(field.Label, MaxValue),
            ["optional"] = !field.Required,
            ["element"] = element,
        };
    }

    /// <summary>The values of a submitted modal by field name (block id), from <c>view.state.values</c>.</summary>
    public static Dictionary<string, string> SubmittedValues(JsonElement view)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!view.TryGetProperty("state", out var state) || !state.TryGetProperty("values", out var blocks) || blocks.ValueKind != JsonValueKind.Object)
        {
            return values;
        }

        foreach (var block in blocks.EnumerateObject())
        {
            foreach (var action in block.Value.EnumerateObject())
            {
                var element = action.Value;
                string? value = null;
                if (element.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String)
                {
                    value = v.GetString();
                }
                else if (element.TryGetProperty("selected_option", out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty("value", out var ov))
                {
                    value = ov.GetString();
                }

                values[block.Name] = value ?? string.Empty;
            }
        }

        return values;
    }

    private static JsonObject Context(IEnumerable<string> mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray([.. mrkdwn.Select(m => (JsonNode)MrkdwnText(Truncate(m, MaxSectionText)))]),
    };

    private static JsonObject MrkdwnText(string text) => new() { ["type"] = "mrkdwn", ["text"] = text.Length == 0 ? " " : text };

    /// <summary>Escaped too: Slack decodes the three entities everywhere, and a plain_text field must never be a way around escaping.</summary>
    private static JsonObject PlainText(string text, int max) => new() { ["type"] = "plain_text", ["text"] = Truncate(text.Length == 0 ? " " : Escape(text), max), ["emoji"] = true };

    /// <summary>Puts a style marker around text, outside its surrounding spaces and per line, as Slack only styles such spans.</summary>
    private static string Wrap(string text, char marker)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var core = line.Trim();
            if (core.Length == 0)
            {
                continue;
            }

            var start = line.IndexOf(core, StringComparison.Ordinal);
            lines[i] = $"{line[..start]}{marker}{core}{marker}{line[(start + core.Length)..]}";
        }

        return string.Join('\n', lines);
    }

    /// <summary>Splits mrkdwn at line breaks or spaces, never inside an entity or a <c>&lt;…&gt;</c> link.</summary>
    internal static IEnumerable<string> Chunks(string mrkdwn, int max)
    {
        var rest = mrkdwn;
        while (rest.Length > max)
        {
            var cut = rest.LastIndexOf('\n', max - 1);
            if (cut <= 0)
            {
                cut = rest.LastIndexOf(' ', max - 1);
            }

            if (cut <= 0)
            {
                cut = max;
            }

            cut = SafeCut(rest, cut);
            yield return rest[..cut];
            rest = rest[cut..].TrimStart('\n');
        }

        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private static int SafeCut(string text, int cut)
    {
        var open = text.LastIndexOf('<', cut - 1);
        if (open >= 0 && text.IndexOf('>', open) >= cut && open > 0)
        {
            cut = open;
        }

        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && amp > cut - 5 && text.IndexOf(';', amp) >= cut && amp > 0)
        {
            cut = amp;
        }

        return cut;
    }

    private static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && amp > cut - 5 && text.IndexOf(';', amp) >= cut)
        {
            cut = amp; // never leave half an entity behind
        }

        return text[..cut] + "…";
    }

    private static Uri? Absolute(string url, Uri? publicBaseUrl) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp)
            ? absolute
            : url.StartsWith('/') && publicBaseUrl is not null ? new Uri(publicBaseUrl, url) : null;

    [GeneratedRegex("^[UW][A-Z0-9]{2,20}$")]
    private static partial Regex SlackId();
}
