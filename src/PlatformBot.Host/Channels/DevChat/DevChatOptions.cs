namespace PlatformBot.Host.Channels.DevChat;

public sealed class DevChannelOptions
{
    public const string SectionName = "DevChannel";

    /// <summary>Serves the dev chat. Null means: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Outside Development, lets the dev chat be served on addresses other than loopback. Whoever reaches the dev chat can
    /// act as any user, so this must be set on purpose; without it such a start is refused.
    /// </summary>
    public bool AllowRemote { get; set; }
}
