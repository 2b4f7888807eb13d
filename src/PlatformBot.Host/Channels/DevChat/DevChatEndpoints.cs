using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>The dev chat's page and its JSON API (contract in ../shared/DESIGN.md).</summary>
internal static partial class DevChatEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void MapDevChat(this WebApplication app, bool productionNotice)
    {
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/devchat.js", () => Asset("devchat.js", "text/javascript; charset=utf-8"));
        app.MapGet("/devchat.css", () => Asset("devchat.css", "text/css; charset=utf-8"));
        app.MapGet("/api/dev/info", () => Results.Json(new { production = productionNotice }));

        app.MapPost("/api/dev/messages", PostMessageAsync);
        app.MapPost("/api/dev/actions", PostActionAsync);
        app.MapGet("/api/dev/conversations/{conversation}", (string conversation, string? user, long? after, DevChatStore store) =>
        {
            if (!ValidName(conversation, allowDm: true))
            {
                return Problem("conversation must be 1–64 letters, digits, '-', '_' or '.' (or dm:<user>).");
            }

            var rows = store.List(conversation, user, after ?? 0, 500);
            return Results.Json(new JsonObject { ["messages"] = new JsonArray([.. rows.Select(r => JsonNode.Parse(r.Json))]) });
        });
    }

    private static async Task<IResult> PostMessageAsync(HttpRequest request, DevChatStore store, DevChatSender sender, IBotRouter router, TimeProvider time, CancellationToken cancellationToken)
    {
        var (parsed, error) = await ReadAsync(request, cancellationToken);
        if (error is not null || parsed is not { } body)
        {
            return error ?? Problem("The body must be a JSON object.");
        }

        if (!TryString(body, "user", out var user, out error) || !TryString(body, "conversation", out var conversation, out error) || !TryString(body, "text", out var text, out error, allowEmpty: true))
        {
            return error!;
        }

        if (!ValidName(user, allowDm: false))
        {
            return Problem("user must be 1–64 letters, digits, '-', '_' or '.'.");
        }

        if (!ValidName(conversation, allowDm: true) || !OwnsConversation(user, conversation))
        {
            return Problem("conversation must be 1–64 letters, digits, '-', '_' or '.', or your own dm:<user>.");
        }

        var threadId = body.TryGetProperty("threadId", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var address = new ConversationAddress(PlatformBot.Conversations.Channels.DevChat, conversation, threadId, IsDirect: conversation.StartsWith("dm:", StringComparison.Ordinal));
        var userRef = new UserRef(PlatformBot.Conversations.Channels.DevChat, user);

        var userRow = store.Add(conversation, user, null, threadId, id => DevChatRenderer.UserMessage(id, conversation, user, text, threadId, time.GetUtcNow()));
        var incoming = new IncomingMessage(text, userRef, address, DevChatStore.MessageId(userRow.Id)) { AddressedToBot = true };
        var reply = await router.HandleMessageAsync(incoming, cancellationToken);
        return Answer(store, sender, address, user, reply, sourceMessageId: null);
    }

    private static async Task<IResult> PostActionAsync(HttpRequest request, DevChatStore store, DevChatSender sender, IBotRouter router, CancellationToken cancellationToken)
    {
        var (parsed, error) = await ReadAsync(request, cancellationToken);
        if (error is not null || parsed is not { } body)
        {
            return error ?? Problem("The body must be a JSON object.");
        }

        if (!TryString(body, "user", out var user, out error) || !TryString(body, "conversation", out var conversation, out error))
        {
            return error!;
        }

        if (!ValidName(user, allowDm: false) || !ValidName(conversation, allowDm: true) || !OwnsConversation(user, conversation))
        {
            return Problem("user and conversation must be 1–64 letters, digits, '-', '_' or '.' (conversation may be your own dm:<user>).");
        }

        var userRef = new UserRef(PlatformBot.Conversations.Channels.DevChat, user);
        var address = new ConversationAddress(PlatformBot.Conversations.Channels.DevChat, conversation, IsDirect: conversation.StartsWith("dm:", StringComparison.Ordinal));
        IncomingInteraction interaction;
        string? source = null;
        if (body.TryGetProperty("formId", out var formId))
        {
            if (formId.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(formId.GetString()))
            {
                return Problem("formId must be a non-empty string.");
            }

            if (!body.TryGetProperty("values", out var valuesElement) || valuesElement.ValueKind != JsonValueKind.Object)
            {
                return Problem("values must be an object of field name to text.");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in valuesElement.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString();
            }

            source = body.TryGetProperty("messageId", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var state = body.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            interaction = new IncomingInteraction(formId.GetString()!, null, userRef, address) { Values = values, IsFormSubmission = true, State = state, MessageId = source };
        }
        else
        {
            if (!TryString(body, "actionId", out var actionId, out error) || !TryString(body, "messageId", out var messageId, out error))
            {
                return error!;
            }

            var value = body.TryGetProperty("value", out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString()) : null;
            var row = store.Find(messageId);
            if (row is null || row.Conversation != conversation)
            {
                return Problem($"There is no message '{messageId}' in conversation '{conversation}'.", StatusCodes.Status404NotFound);
            }

            source = messageId;
            if (row.ThreadId is not null)
            {
                address = address.InThread(row.ThreadId);
            }

            interaction = new IncomingInteraction(actionId, value, userRef, address) { MessageId = messageId };
        }

        var reply = await router.HandleInteractionAsync(interaction, cancellationToken);
        return Answer(store, sender, address, user, reply, source);
    }

    private static IResult Answer(DevChatStore store, DevChatSender sender, ConversationAddress address, string user, Reply reply, string? sourceMessageId)
    {
        var messages = new JsonArray();
        if (!reply.IsNone)
        {
            if (reply.ReplacesSource && sourceMessageId is not null && store.Find(sourceMessageId) is { } source && source.From == DevChatSender.BotName)
            {
                sender.UpdateAsync(new PostedMessage(address, sourceMessageId), reply, CancellationToken.None).GetAwaiter().GetResult();
                messages.Add(JsonNode.Parse(store.Find(sourceMessageId)!.Json));
            }
            else
            {
                var visibleTo = reply.Visibility == ReplyVisibility.OnlyRequester ? user : null;
                var posted = sender.Post(address, reply, visibleTo);
                messages.Add(JsonNode.Parse(store.Find(posted.MessageId)!.Json));
            }
        }

        return Results.Json(new JsonObject { ["messages"] = messages });
    }

    private static async Task<(JsonElement? Body, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem($"The request body is larger than {MaxBodyBytes / 1024} KB.", StatusCodes.Status413PayloadTooLarge));
        }

        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return (null, Problem($"The request body is larger than {MaxBodyBytes / 1024} KB.", StatusCodes.Status413PayloadTooLarge));
                }
            }

            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Problem("The body must be a JSON object."));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, Problem($"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static bool TryString(JsonElement body, string name, out string value, out IResult? error, bool allowEmpty = false)
    {
        value = string.Empty;
        error = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            error = Problem($"The field '{name}' is missing or is not a string.");
            return false;
        }

        value = element.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
        {
            error = Problem($"The field '{name}' must not be empty.");
            return false;
        }

        return true;
    }

    /// <summary>A direct conversation (<c>dm:&lt;user&gt;</c>) is only its user's.</summary>
    private static bool OwnsConversation(string user, string conversation) =>
        !conversation.StartsWith("dm:", StringComparison.Ordinal) || conversation == "dm:" + user;

    private static bool ValidName(string name, bool allowDm) =>
        (allowDm && name.StartsWith("dm:", StringComparison.Ordinal) ? NamePattern().IsMatch(name[3..]) : NamePattern().IsMatch(name));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    private static IResult Problem(string detail, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = detail }, statusCode: status);

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(DevChatEndpoints).Assembly.GetManifestResourceStream($"PlatformBot.Host.Channels.DevChat.wwwroot.{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
