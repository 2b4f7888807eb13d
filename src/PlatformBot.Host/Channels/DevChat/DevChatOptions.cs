namespace PlatformBot.Host.Channels.DevChat;

public sealed class DevChannelOptions
{
    public const string SectionName = "DevChannel";

    /// <summary>Serves the dev chat. Null means: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
