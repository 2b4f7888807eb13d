namespace PlatformBot.Routing;

/// <summary>Splits <c>/ticket VPN is down</c> or <c>ticket VPN is down</c> into a command name and its text.</summary>
public static class CommandText
{
    public static bool TryParse(string text, out string name, out string rest)
    {
        name = string.Empty;
        rest = string.Empty;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] == '/')
        {
            trimmed = trimmed[1..];
        }

        if (trimmed.IsEmpty || !char.IsLetter(trimmed[0]))
        {
            return false;
        }

        var end = trimmed.IndexOfAny(' ', '\n', '\t');
        var word = end < 0 ? trimmed : trimmed[..end];
        foreach (var c in word)
        {
            if (!char.IsLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        name = word.ToString().ToLowerInvariant();
        rest = end < 0 ? string.Empty : trimmed[end..].Trim().ToString();
        return true;
    }

    /// <summary>The first word of a command's text and the rest (<c>list mine</c> → <c>list</c>, <c>mine</c>).</summary>
    public static (string Verb, string Remainder) SplitVerb(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny([' ', '\n', '\t']);
        return end < 0 ? (trimmed.ToLowerInvariant(), string.Empty) : (trimmed[..end].ToLowerInvariant(), trimmed[end..].Trim());
    }
}
