using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>
/// Renders a <see cref="Reply"/> into the dev chat's JSON message document (../shared/DESIGN.md): plain <c>text</c>,
/// blocks with HTML in which every run of text is escaped, buttons as <c>{actionId,label,value}</c>, forms with named fields.
/// </summary>
internal static class DevChatRenderer
{
    public static JsonObject Render(string id, string conversation, string from, Reply reply, string? threadId, DateTimeOffset at)
    {
        var blocks = new JsonArray();
        foreach (var block in reply.Blocks.IsDefaultOrEmpty ? [] : reply.Blocks)
        {
            blocks.Add(RenderBlock(block));
        }

        var message = new JsonObject
        {
            ["id"] = id,
            ["conversation"] = conversation,
            ["from"] = from,
            ["text"] = reply.ToPlainText(),
            ["at"] = at.ToString("O"),
            ["private"] = reply.Visibility == ReplyVisibility.OnlyRequester,
            ["blocks"] = blocks,
        };
        if (threadId is not null)
        {
            message["threadId"] = threadId;
        }

        if (reply.CardKey is not null)
        {
            message["cardKey"] = reply.CardKey;
        }

        if (reply.Form is { } form)
        {
            message["form"] = RenderForm(form);
        }

        return message;
    }

    public static JsonObject UserMessage(string id, string conversation, string user, string text, string? threadId, DateTimeOffset at)
    {
        var message = new JsonObject
        {
            ["id"] = id,
            ["conversation"] = conversation,
            ["from"] = user,
            ["text"] = text,
            ["at"] = at.ToString("O"),
            ["blocks"] = new JsonArray(new JsonObject { ["type"] = "text", ["html"] = Escape(text).Replace("\n", "<br>", StringComparison.Ordinal) }),
        };
        if (threadId is not null)
        {
            message["threadId"] = threadId;
        }

        return message;
    }

    private static JsonObject RenderBlock(Block block) => block switch
    {
        HeaderBlock h => new JsonObject { ["type"] = "header", ["html"] = Html(h.Text) },
        TextBlock t => new JsonObject { ["type"] = "text", ["html"] = Html(t.Text) },
        SectionBlock s => new JsonObject
        {
            ["type"] = "section",
            ["html"] = s.Text is null ? null : Html(s.Text),
            ["fields"] = new JsonArray([.. (s.Fields.IsDefault ? [] : s.Fields).Select(f => (JsonNode)new JsonObject { ["label"] = f.Label, ["html"] = Html(f.Value) })]),
        },
        ActionsBlock a => new JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new JsonArray([.. a.Elements.Select(RenderElement)]),
        },
        ContextBlock c => new JsonObject { ["type"] = "context", ["items"] = new JsonArray([.. c.Items.Select(i => (JsonNode)JsonValue.Create(Html(i)))]) },
        ImageBlock i => new JsonObject { ["type"] = "image", ["url"] = i.Url, ["alt"] = i.AltText },
        DividerBlock => new JsonObject { ["type"] = "divider" },
        _ => new JsonObject { ["type"] = "text", ["html"] = Escape(block.ToPlainText()) },
    };

    private static JsonNode RenderElement(ActionElement element) => element switch
    {
        Button b => new JsonObject
        {
            ["type"] = "button",
            ["actionId"] = b.ActionId,
            ["label"] = b.Label,
            ["value"] = b.Value,
            ["style"] = b.Style.ToString().ToLowerInvariant(),
        },
        Select s => new JsonObject
        {
            ["type"] = "select",
            ["actionId"] = s.ActionId,
            ["label"] = s.Label,
            ["initial"] = s.Initial,
            ["options"] = new JsonArray([.. s.Options.Select(o => (JsonNode)new JsonObject { ["label"] = o.Label, ["value"] = o.Value })]),
        },
        _ => new JsonObject(),
    };

    private static JsonObject RenderForm(Form form) => new()
    {
        ["formId"] = form.FormId,
        ["title"] = form.Title,
        ["submitLabel"] = form.SubmitLabel,
        ["state"] = form.State,
        ["fields"] = new JsonArray([.. form.Fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["label"] = f.Label,
            ["kind"] = f.Kind switch { FormFieldKind.MultilineText => "multiline", FormFieldKind.Select => "select", _ => "text" },
            ["required"] = f.Required,
            ["initial"] = f.Initial,
            ["placeholder"] = f.Placeholder,
            ["maxLength"] = f.MaxLength,
            ["options"] = new JsonArray([.. (f.Options.IsDefault ? [] : f.Options).Select(o => (JsonNode)new JsonObject { ["label"] = o.Label, ["value"] = o.Value })]),
        })]),
        ["errors"] = new JsonObject([.. form.Errors.Select(e => new KeyValuePair<string, JsonNode?>(e.Key, e.Value))]),
    };

    /// <summary>Rich text as HTML: every run escaped, styles and links added by us, never by the text.</summary>
    public static string Html(RichText text)
    {
        var sb = new StringBuilder();
        foreach (var run in text.Runs.IsDefault ? [] : text.Runs)
        {
            var body = Escape(run.Mention is { } m ? "@" + m.Name : run.Text).Replace("\n", "<br>", StringComparison.Ordinal);
            if (run.Mention is not null)
            {
                body = $"<span class=\"mention\">{body}</span>";
            }

            if (run.Style.HasFlag(TextStyle.Code))
            {
                body = $"<code>{body}</code>";
            }

            if (run.Style.HasFlag(TextStyle.Italic))
            {
                body = $"<em>{body}</em>";
            }

            if (run.Style.HasFlag(TextStyle.Bold))
            {
                body = $"<strong>{body}</strong>";
            }

            if (run.Url is { } url)
            {
                body = $"<a href=\"{Escape(url)}\" target=\"_blank\" rel=\"noopener noreferrer\">{body}</a>";
            }

            sb.Append(body);
        }

        return sb.ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
