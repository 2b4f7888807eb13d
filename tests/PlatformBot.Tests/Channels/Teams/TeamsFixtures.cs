using System.Text.Json.Nodes;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>Activity payloads from Fixtures/*.json (each names the page it follows in <c>_source</c>), aimed at a serviceUrl.</summary>
public static class TeamsFixtures
{
    public const string BotId = "28:00000000-0000-0000-0000-0000000000b0";
    public const string Alice = "29:1alice-aad";
    public const string Bob = "29:1bob-aad";
    public const string PersonalChat = "a:1personal;chat=alice@bot";
    public const string Channel = "19:general@thread.tacv2";

    private static int _ids = 1_000;

    public static JsonObject Load(string name, string serviceUrl, string? replyToId = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Channels", "Teams", "Fixtures", name + ".json"))
            .Replace("{{serviceUrl}}", serviceUrl, StringComparison.Ordinal)
            .Replace("{{replyToId}}", replyToId ?? "none", StringComparison.Ordinal);
        var activity = JsonNode.Parse(text)!.AsObject();
        activity["id"] = "17" + Interlocked.Increment(ref _ids).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);
        return activity;
    }

    public static JsonObject Message(string serviceUrl, string text)
    {
        var activity = Load("personal-message", serviceUrl);
        activity["text"] = text;
        return activity;
    }

    public static JsonObject ChannelMessage(string serviceUrl, string text, string from = Bob)
    {
        var activity = Load("channel-mention", serviceUrl);
        activity["text"] = text;
        activity["from"]!["id"] = from;
        return activity;
    }

    public static JsonObject Execute(string serviceUrl, string replyToId, string actionId, JsonObject? data = null)
    {
        var activity = Load("action-execute-invoke", serviceUrl, replyToId);
        activity["value"]!["action"]!["verb"] = actionId;
        activity["value"]!["action"]!["data"] = data ?? new JsonObject { ["platformbot"] = new JsonObject { ["action"] = actionId, ["value"] = "D-1" } };
        return activity;
    }
}
