using LiteDB;

namespace PlatformBot.Features.Knowledge;

/// <summary>What became of a question, as far as the knowledge base can tell.</summary>
public enum QuestionOutcome
{
    /// <summary>No verdict yet: solved by silence once <see cref="KnowledgeOptions.SolvedWindow"/> passes without a ticket.</summary>
    Open = 0,

    /// <summary>The asker clicked "This solved it".</summary>
    Solved = 1,

    /// <summary>The asker clicked "Not quite".</summary>
    NotSolved = 2,

    /// <summary>The asker filed a ticket on it.</summary>
    Ticket = 3,
}

/// <summary>A question asked in chat, what the bot offered, and what the asker made of it (LiteDB collection <c>kb_questions</c>).</summary>
internal sealed class KnowledgeQuestion
{
    [BsonId]
    public string Id { get; set; } = "";

    public string Text { get; set; } = "";

    public string AskerKey { get; set; } = "";

    public string AskerName { get; set; } = "";

    public string Channel { get; set; } = "";

    public string ConversationId { get; set; } = "";

    public DateTime AskedAt { get; set; }

    /// <summary>Whether any article was offered; a refusal ("no good answer") is not an answer.</summary>
    public bool Answered { get; set; }

    public double Confidence { get; set; }

    public List<ShownArticle> Articles { get; set; } = [];

    public QuestionOutcome Outcome { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? TicketId { get; set; }

    /// <summary>The resolving agent's note, once the ticket made from this question was resolved.</summary>
    public string? ResolutionNote { get; set; }

    public string? ResolvedByKey { get; set; }

    /// <summary>Where the knowledge-base draft made from the resolution was written, once it was.</summary>
    public string? DraftPath { get; set; }

    /// <summary>People (user keys) who said the answer helped them; the asker's click also solves the question.</summary>
    public List<string> HelpfulVoters { get; set; } = [];
}

internal sealed class ShownArticle
{
    public string Path { get; set; } = "";

    public string Title { get; set; } = "";

    public string Heading { get; set; } = "";

    public string Anchor { get; set; } = "";

    /// <summary>The article's public URL, or null when <see cref="KnowledgeOptions.BaseUrl"/> is not set.</summary>
    public string? Url { get; set; }
}
