using System.Net;
using System.Text.RegularExpressions;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>Turns Teams activities into the neutral model (pure: no I/O, no clock).</summary>
internal static partial class ActivityTranslator
{
    public static UserRef User(Activity activity)
    {
        var timeZone = activity.Entities?.FirstOrDefault(e => e.Type == "clientInfo" && !string.IsNullOrEmpty(e.Timezone))?.Timezone
            ?? activity.LocalTimezone;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            timeZone = null;
        }

        return new UserRef(PlatformBot.Conversations.Channels.Teams, activity.From?.Id ?? string.Empty, activity.From?.Name, timeZone);
    }

    /// <summary>
    /// The message's text without the bot's @mention, wherever it stands (found by the mention entity whose id is the bot's,
    /// not by name: names are localized and renamed). Other people's mentions keep their names; HTML entities are decoded.
    /// </summary>
    public static string Text(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        foreach (var mention in activity.Entities ?? [])
        {
            if (mention.Type != "mention" || mention.Mentioned?.Id is null || mention.Mentioned.Id != botId)
            {
                continue;
            }

            var tag = mention.Text ?? (mention.Mentioned.Name is { } name ? $"<at>{name}</at>" : null);
            if (!string.IsNullOrEmpty(tag))
            {
                text = Regex.Replace(text, Regex.Escape(tag), " ", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            }
        }

        text = AtTag().Replace(text, "$1");
        return WebUtility.HtmlDecode(text).Replace('\u00A0', ' ').Trim();
    }

    /// <summary>In a personal chat every message is for the bot; elsewhere Teams only delivers what mentions it (or replies in threads we watch).</summary>
    public static bool AddressedToBot(Activity activity) =>
        activity.Conversation?.ConversationType is null or "personal"
        || (activity.Entities ?? []).Any(e => e.Type == "mention" && e.Mentioned?.Id is { } id && id == activity.Recipient?.Id);

    public static IncomingMessage Message(Activity activity) =>
        new(Text(activity), User(activity), TeamsAddress.FromActivity(activity), activity.Id ?? string.Empty)
        {
            AddressedToBot = AddressedToBot(activity),
        };

    public static IncomingInteraction Interaction(Activity activity, CardAction action) =>
        new(action.ActionId, action.Value, User(activity), TeamsAddress.FromActivity(activity))
        {
            MessageId = activity.ReplyToId,
            Values = action.Values,
            IsFormSubmission = action.IsFormSubmission,
            State = action.State,
        };

    [GeneratedRegex("<at[^>]*>(.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex AtTag();
}
