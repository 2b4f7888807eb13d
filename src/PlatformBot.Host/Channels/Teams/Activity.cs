using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// The parts of a Bot Framework activity PlatformBot reads and writes (Bot Framework Activity schema;
/// ../shared/research/teams-protocol.md §3). Unknown fields are ignored on the way in and never written.
/// </summary>
internal sealed class Activity
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public string? ServiceUrl { get; set; }

    public string? ChannelId { get; set; }

    public ChannelAccount? From { get; set; }

    public ChannelAccount? Recipient { get; set; }

    public ConversationAccount? Conversation { get; set; }

    public string? Text { get; set; }

    public string? TextFormat { get; set; }

    /// <summary>Text for notifications and clients that cannot show cards.</summary>
    public string? Summary { get; set; }

    public string? Locale { get; set; }

    public string? LocalTimezone { get; set; }

    public string? ReplyToId { get; set; }

    /// <summary>An invoke's name (<c>adaptiveCard/action</c>).</summary>
    public string? Name { get; set; }

    /// <summary>An installationUpdate's action (<c>add</c>, <c>remove</c>, …).</summary>
    public string? Action { get; set; }

    public List<Entity>? Entities { get; set; }

    public List<ChannelAccount>? MembersAdded { get; set; }

    public List<ChannelAccount>? MembersRemoved { get; set; }

    public List<Attachment>? Attachments { get; set; }

    public JsonElement? Value { get; set; }

    public JsonElement? ChannelData { get; set; }

    public const string Message = "message";
    public const string Invoke = "invoke";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Typing = "typing";
}

internal sealed class ChannelAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? AadObjectId { get; set; }
}

internal sealed class ConversationAccount
{
    public string? Id { get; set; }

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; set; }

    public string? TenantId { get; set; }

    public bool? IsGroup { get; set; }

    public string? Name { get; set; }
}

internal sealed class Entity
{
    public string? Type { get; set; }

    /// <summary>A mention's text as it stands in the message (<c>&lt;at&gt;PlatformBot&lt;/at&gt;</c>).</summary>
    public string? Text { get; set; }

    public ChannelAccount? Mentioned { get; set; }

    /// <summary>clientInfo: the person's IANA time zone.</summary>
    public string? Timezone { get; set; }

    public string? Locale { get; set; }
}

internal sealed class Attachment
{
    public string? ContentType { get; set; }

    /// <summary>The attachment's content as serialized JSON: a card the renderer wrote goes into the body as it is.</summary>
    public RawJson? Content { get; set; }

    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";
}

/// <summary>
/// A JSON value already serialized to UTF-8, written into an activity as it is: a card is serialized once, and the bytes
/// whose size was checked against Teams' limit are the bytes sent.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    /// <summary>The size in bytes, as it goes over the wire.</summary>
    public int Length => Utf8.Length;

    public JsonNode? ToNode() => JsonNode.Parse(Utf8.Span);

    public override string ToString() => Encoding.UTF8.GetString(Utf8.Span);
}

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray());
    }

    /// <summary>Written unchecked: only the renderer's own output (or JSON read by <see cref="Read"/>) is ever a RawJson.</summary>
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}

internal sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>The body of <c>POST /v3/conversations</c>: a one-to-one chat with a person.</summary>
internal sealed class ConversationParameters
{
    public bool IsGroup { get; set; }

    public ChannelAccount? Bot { get; set; }

    public List<ChannelAccount>? Members { get; set; }

    public string? TenantId { get; set; }

    public JsonObject? ChannelData { get; set; }
}

/// <summary>A page of a roster (<c>GET /v3/conversations/{id}/pagedmembers</c>).</summary>
internal sealed class PagedMembers
{
    public string? ContinuationToken { get; set; }

    public List<ChannelAccount>? Members { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(PagedMembers))]
internal sealed partial class TeamsJson : JsonSerializerContext;
