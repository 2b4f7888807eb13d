namespace PlatformBot.Features.Escalation;

/// <summary>Command names and action ids of escalation and on-call.</summary>
internal static class EscalationRoutes
{
    public const string EscalateCommand = "escalate";
    public const string OnCallCommand = "oncall";

    public const string ActionPrefix = "escalation.";
    public const string Acknowledge = "escalation.ack";
    public const string Reassign = "escalation.reassign";
    public const string Snooze = "escalation.snooze";
    public const string ReassignForm = "escalation.reassign.form";
    public const string EscalateForm = "escalation.escalate.form";

    /// <summary>The Escalate button on a ticket's card (the Tickets feature draws it; this feature answers it).</summary>
    public const string TicketEscalateButton = "ticket.escalate";

    public const string PageCardPrefix = "escalation-page:";

    public static readonly TimeSpan SnoozeFor = TimeSpan.FromMinutes(15);
}
