namespace PlatformBot.Conversations;

/// <summary>A command, whatever way it was typed: a slash command, <c>@PlatformBot ticket …</c>, or <c>ticket …</c> in a DM.</summary>
/// <param name="Name">The command's name without slash, lower case (<c>ticket</c>).</param>
/// <param name="Text">Everything after the name, trimmed.</param>
public sealed record IncomingCommand(string Name, string Text, UserRef User, ConversationAddress Conversation)
{
    /// <summary>The message the command arrived in, when it was a message (mentions, DMs); null for slash commands.</summary>
    public string? MessageId { get; init; }
}

/// <summary>Free text that is not a command: a question, a reply in a thread.</summary>
public sealed record IncomingMessage(string Text, UserRef User, ConversationAddress Conversation, string MessageId)
{
    /// <summary>The bot was mentioned, or the message is a DM to the bot.</summary>
    public bool AddressedToBot { get; init; }
}

/// <summary>A click on a button or select, or a submitted form.</summary>
/// <param name="ActionId">The button's action id, or the form's id for a submission.</param>
/// <param name="Value">The button's value or the selected option.</param>
public sealed record IncomingInteraction(string ActionId, string? Value, UserRef User, ConversationAddress Conversation)
{
    /// <summary>The message that carried the button, when there was one.</summary>
    public string? MessageId { get; init; }

    /// <summary>A submitted form's values by field name; empty for a click.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    public bool IsFormSubmission { get; init; }

    /// <summary>Context the form carried from when it was opened (the handler's own string).</summary>
    public string? State { get; init; }
}
