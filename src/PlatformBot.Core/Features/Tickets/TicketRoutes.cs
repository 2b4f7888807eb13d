namespace PlatformBot.Features.Tickets;

/// <summary>The names channels, manifests and other features use for tickets; fixed contracts.</summary>
public static class TicketRoutes
{
    public const string Command = "ticket";

    /// <summary>Every ticket button and the form start with this.</summary>
    public const string ActionPrefix = "ticket.";

    public const string Acknowledge = "ticket.ack";
    public const string AssignToMe = "ticket.assign-me";
    public const string Resolve = "ticket.resolve";
    public const string Escalate = "ticket.escalate";
    public const string Reopen = "ticket.reopen";

    /// <summary>"When will I hear back?": the clock explained in words.</summary>
    public const string Sla = "ticket.sla";

    /// <summary>The new-ticket form (fields title, description, priority, category, service).</summary>
    public const string Form = "ticket.form";

    /// <summary>Cards are keyed <c>ticket:PLAT-42</c>; replies in their threads become comments.</summary>
    public const string CardKeyPrefix = "ticket:";

    public static class Fields
    {
        public const string Title = "title";
        public const string Description = "description";
        public const string Priority = "priority";
        public const string Category = "category";
        public const string Service = "service";
    }
}
