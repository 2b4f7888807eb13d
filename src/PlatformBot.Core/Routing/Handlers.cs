using PlatformBot.Conversations;

namespace PlatformBot.Routing;

/// <summary>Answers one command (<c>ticket</c>, <c>ask</c>, …) in every channel.</summary>
public interface ICommandHandler
{
    Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken);
}

/// <summary>Answers clicks and form submissions whose action id starts with the handler's prefix.</summary>
public interface IInteractionHandler
{
    Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken);
}

/// <summary>Answers free text: replies in a card's thread (by card key prefix) or questions to the bot.</summary>
public interface IMessageHandler
{
    /// <summary>Returns null when the message is not this handler's business.</summary>
    Task<Reply?> HandleAsync(IncomingMessage message, string? cardKey, CancellationToken cancellationToken);
}

/// <summary>A registered command: its name, what it is for, how to use it, and who may run it.</summary>
public sealed record CommandRoute(string Name, string Summary, string Usage, Type HandlerType)
{
    public Team.Role MinimumRole { get; init; } = Team.Role.Requester;
}

public sealed record InteractionRoute(string Prefix, Type HandlerType);

/// <summary>A free-text handler: for messages in the thread of a card whose key starts with <see cref="CardKeyPrefix"/>,
/// or, when that is null, for questions addressed to the bot. Lower <see cref="Order"/> goes first.</summary>
public sealed record MessageRoute(string? CardKeyPrefix, Type HandlerType, int Order = 0);
