using System.Text.Json;
using LiteDB;
using PlatformBot.Conversations;
using PlatformBot.Storage;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Forms that arrived where no modal could be opened (a mention has no trigger id): the message gets an "Open the form"
/// button whose click brings a fresh trigger id, and the form waits here until then.
/// </summary>
internal sealed class SlackFormStash
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private readonly ILiteCollection<StashedForm> _forms;
    private readonly TimeProvider _time;

    public SlackFormStash(PlatformDatabase database, TimeProvider time)
    {
        _time = time;
        _forms = database.Collection<StashedForm>("slack_forms");
        _forms.EnsureIndex(f => f.ExpiresAt);
    }

    public string Add(Form form, SlackFormOrigin origin)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        _forms.DeleteMany(f => f.ExpiresAt <= now);
        var key = Guid.NewGuid().ToString("N");
        _forms.Insert(new StashedForm { Id = key, FormJson = JsonSerializer.Serialize(form, Json), Metadata = origin.Serialize(), ExpiresAt = now + Lifetime });
        return key;
    }

    public (Form Form, string Metadata)? Find(string key)
    {
        var row = _forms.ById(key);
        if (row is null || row.ExpiresAt <= _time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        var form = JsonSerializer.Deserialize<Form>(row.FormJson, Json);
        return form is null ? null : (form, row.Metadata);
    }

    internal sealed class StashedForm
    {
        [BsonId]
        public string Id { get; set; } = "";

        public string FormJson { get; set; } = "";

        public string Metadata { get; set; } = "";

        public DateTime ExpiresAt { get; set; }
    }
}
