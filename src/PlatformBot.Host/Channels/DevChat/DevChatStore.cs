using System.Text.Json.Nodes;
using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Host.Channels.DevChat;

/// <summary>The dev chat's conversations, in the platform database so they survive a restart.</summary>
internal sealed class DevChatStore
{
    private readonly ILiteCollection<DevChatRow> _rows;

    public DevChatStore(PlatformDatabase database)
    {
        _rows = database.Collection<DevChatRow>("devchat_messages");
        _rows.EnsureIndex(r => r.Conversation);
    }

    public DevChatRow Add(string conversation, string from, string? visibleTo, string? threadId, Func<string, JsonObject> document)
    {
        var row = new DevChatRow { Conversation = conversation, From = from, VisibleTo = visibleTo, ThreadId = threadId, Json = "{}" };
        _rows.Insert(row);
        row.Json = document(MessageId(row.Id)).ToJsonString();
        _rows.Update(row);
        return row;
    }

    public DevChatRow? Find(string messageId) => TryParseId(messageId, out var id) ? _rows.ById(id) : null;

    public bool Replace(string messageId, Func<string, JsonObject> document)
    {
        var row = Find(messageId);
        if (row is null)
        {
            return false;
        }

        row.Json = document(messageId).ToJsonString();
        _rows.Update(row);
        return true;
    }

    public IReadOnlyList<DevChatRow> List(string conversation, string? viewer, long after, int max) =>
        [.. _rows.Query()
            .Where(r => r.Conversation == conversation && r.Id > after)
            .OrderBy(r => r.Id)
            .ToEnumerable()
            .Where(r => r.VisibleTo is null || r.VisibleTo == viewer)
            .Take(max)];

    /// <summary>Everyone who has posted in the conversation (the bot included), once each, in order of first post.</summary>
    public IReadOnlyList<string> Posters(string conversation) =>
        [.. _rows.Query().Where(r => r.Conversation == conversation).OrderBy(r => r.Id).Select(r => r.From).ToEnumerable().Distinct(StringComparer.Ordinal)];

    public static string MessageId(long id) => "m" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseId(string messageId, out long id)
    {
        id = 0;
        return messageId.StartsWith('m') && long.TryParse(messageId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out id);
    }

    internal sealed class DevChatRow
    {
        [BsonId(true)]
        public long Id { get; set; }

        public string Conversation { get; set; } = "";

        public string From { get; set; } = "";

        /// <summary>Set for messages only their requester sees.</summary>
        public string? VisibleTo { get; set; }

        public string? ThreadId { get; set; }

        public string Json { get; set; } = "";
    }
}
