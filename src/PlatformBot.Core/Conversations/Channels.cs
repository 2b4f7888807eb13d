namespace PlatformBot.Conversations;

/// <summary>The channel names used in addresses, outbox rows and role lists.</summary>
public static class Channels
{
    public const string DevChat = "dev";
    public const string Slack = "slack";
    public const string Teams = "teams";
}
