namespace PlatformBot.Conversations;

/// <summary>A person as a channel knows him: the channel's id, and what it told us about him.</summary>
/// <param name="Channel">One of <see cref="Channels"/>.</param>
/// <param name="Id">The channel's user id (Slack <c>U…</c>, Teams <c>29:…</c>, the dev chat's chosen name).</param>
/// <param name="DisplayName">A name for people to read, when the channel gave one.</param>
/// <param name="TimeZone">The person's IANA time zone, when the channel knows it.</param>
public sealed record UserRef(string Channel, string Id, string? DisplayName = null, string? TimeZone = null)
{
    /// <summary>The key used in stores and role lists: <c>channel:id</c>.</summary>
    public string Key => $"{Channel}:{Id}";

    public string Name => DisplayName ?? Id;

    public static UserRef Parse(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"'{key}' is not a user key of the form channel:id.");
        }

        return new UserRef(key[..colon], key[(colon + 1)..]);
    }

    public bool Is(UserRef other) => Channel == other.Channel && Id == other.Id;
}
