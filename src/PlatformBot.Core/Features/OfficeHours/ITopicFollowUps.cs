using PlatformBot.Conversations;

namespace PlatformBot.Features.OfficeHours;

/// <summary>What office hours needs from the rest of the bot: a ticket for an open topic, the docs' best answer to a topic.</summary>
public interface ITopicFollowUps
{
    /// <summary>Files a ticket for the person; returns its id, or null when tickets are not available.</summary>
    Task<string?> CreateTicketAsync(UserRef requester, string summary, string description, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The knowledge base's best answer, or null when the docs have none worth offering.</summary>
    Task<DocsAnswer?> BestAnswerAsync(string question, CancellationToken cancellationToken);
}

public sealed record DocsAnswer(string Title, string? Url, string Snippet);
