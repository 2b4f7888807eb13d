namespace PlatformBot.Features.Knowledge;

/// <summary>The names channels, manifests and other features use for knowledge answers; fixed contracts.</summary>
public static class KnowledgeRoutes
{
    public const string Command = "ask";

    /// <summary>Every knowledge button starts with this.</summary>
    public const string ActionPrefix = "kb.";

    /// <summary>"This solved it"; the value is the question's id.</summary>
    public const string Solved = "kb.solved";

    /// <summary>"Not quite — open a ticket"; the value is the question's id.</summary>
    public const string NotQuite = "kb.ticket";

    /// <summary>"Save as knowledge-base draft", offered to the agent who resolved a ticket that started as a question.</summary>
    public const string Draft = "kb.draft";

    /// <summary>The Tickets feature's new-ticket form and its fields (owned by Tickets; repeated here as a contract).</summary>
    public const string TicketForm = "ticket.form";

    public static class TicketFields
    {
        public const string Title = "title";
        public const string Description = "description";
        public const string Priority = "priority";
        public const string Category = "category";
        public const string Service = "service";
    }
}
