using System.Text.RegularExpressions;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>Slack's message text (entities, <c>&lt;@U…&gt;</c> mentions, <c>&lt;url|label&gt;</c> links) as the plain text a person typed.</summary>
internal static partial class SlackText
{
    public static string ToPlain(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var plain = Angle().Replace(text, m =>
        {
            var inner = m.Groups[1].Value;
            var pipe = inner.IndexOf('|', StringComparison.Ordinal);
            var target = pipe < 0 ? inner : inner[..pipe];
            var label = pipe < 0 ? null : inner[(pipe + 1)..];
            return target[0] switch
            {
                '@' => "@" + (string.IsNullOrEmpty(label) ? target[1..] : label),
                '#' => "#" + (string.IsNullOrEmpty(label) ? target[1..] : label),
                '!' => "@" + (string.IsNullOrEmpty(label) ? target[1..].Split('^')[0] : label.TrimStart('@')),
                _ => string.IsNullOrEmpty(label) || label == target ? target : $"{label} ({target})",
            };
        });
        return plain.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    /// <summary>Removes a leading mention of the bot (<c>&lt;@U0BOT&gt; ticket …</c> → <c>ticket …</c>).</summary>
    public static string WithoutLeadingMention(string text, string? botUserId)
    {
        var trimmed = text.TrimStart();
        var match = LeadingMention().Match(trimmed);
        if (match.Success && (botUserId is null || match.Groups[1].Value == botUserId))
        {
            return trimmed[match.Length..].TrimStart();
        }

        return text;
    }

    public static bool Mentions(string? text, string userId) =>
        text is not null && text.Contains($"<@{userId}", StringComparison.Ordinal);

    [GeneratedRegex("<([^<>\\s][^<>]*)>")]
    private static partial Regex Angle();

    [GeneratedRegex("^<@([A-Z0-9]+)(\\|[^>]*)?>[,:]?")]
    private static partial Regex LeadingMention();
}
