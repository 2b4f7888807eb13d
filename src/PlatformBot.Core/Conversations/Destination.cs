using System.Text.Json.Serialization;

namespace PlatformBot.Conversations;

/// <summary>Where an outbound message goes. Channel senders resolve cards and people to concrete conversations.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ToConversation), "conversation")]
[JsonDerivedType(typeof(ToUser), "user")]
[JsonDerivedType(typeof(ToCardThread), "card-thread")]
[JsonDerivedType(typeof(UpdateCard), "card-update")]
public abstract record Destination;

/// <summary>A post in a conversation (in its thread when the address has one).</summary>
public sealed record ToConversation(ConversationAddress Address) : Destination;

/// <summary>A direct message to a person, opening the one-to-one conversation when there is none yet.</summary>
public sealed record ToUser(UserRef User) : Destination;

/// <summary>A reply in the thread of a card (a ticket's thread), wherever the card was posted.</summary>
public sealed record ToCardThread(string CardKey) : Destination;

/// <summary>The card itself replaced in place wherever it was posted (a ticket card after a change).</summary>
public sealed record UpdateCard(string CardKey) : Destination;

/// <summary>A message a channel has posted: where, and its id (Slack ts, Teams activity id, dev chat id).</summary>
public sealed record PostedMessage(ConversationAddress Conversation, string MessageId);
