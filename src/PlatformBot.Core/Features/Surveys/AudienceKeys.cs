using PlatformBot.Conversations;

namespace PlatformBot.Features.Surveys;

/// <summary>Parses the keys of an audience: people (<c>slack:U0123</c>) and conversations (<c>dev:support</c>).</summary>
internal static class AudienceKeys
{
    public static bool TryParseUser(string key, out UserRef user)
    {
        user = null!;
        if (!TrySplit(key, out var channel, out var id))
        {
            return false;
        }

        user = new UserRef(channel, id);
        return true;
    }

    public static bool TryParseConversation(string key, out ConversationAddress address)
    {
        address = null!;
        if (!TrySplit(key, out var channel, out var id))
        {
            return false;
        }

        address = new ConversationAddress(channel, id);
        return true;
    }

    private static bool TrySplit(string key, out string channel, out string id)
    {
        channel = id = string.Empty;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == key.Length - 1 || key.Any(char.IsWhiteSpace))
        {
            return false;
        }

        channel = key[..colon].ToLowerInvariant();
        id = key[(colon + 1)..];
        return true;
    }
}
