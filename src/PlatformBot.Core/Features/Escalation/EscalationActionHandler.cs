using PlatformBot.Conversations;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Routing;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// The buttons on pings (Acknowledge, Reassign, Snooze 15 min), the reassign and escalate forms, the Cancel buttons of
/// <c>/oncall overrides</c>, and the Escalate button on a ticket's card.
/// </summary>
internal sealed class EscalationActionHandler(
    EscalationEngine engine,
    ManualEscalation manual,
    PeopleDirectory people,
    OnCallCommandHandler onCall,
    IEscalationTickets tickets,
    ICardDirectory cards) : IInteractionHandler
{
    private const string PersonField = "person";
    private const string ReasonField = "reason";

    public async Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        var reply = interaction.ActionId switch
        {
            EscalationRoutes.Acknowledge => Acknowledge(interaction),
            EscalationRoutes.Snooze => Answer(engine.Snooze(interaction.Value ?? string.Empty, interaction.User)),
            EscalationRoutes.Reassign => OpenReassign(interaction),
            EscalationRoutes.ReassignForm => SubmitReassign(interaction),
            EscalationRoutes.TicketEscalateButton => OpenEscalate(interaction),
            EscalationRoutes.EscalateForm => SubmitEscalate(interaction),
            OnCallCommandHandler.CancelOverrideAction => onCall.Cancel(interaction.User, interaction.Value),
            _ => Reply.Private(Md.Text($"That button is no longer supported.")),
        };
        await tickets.FlushAsync(cancellationToken);
        return reply;
    }

    private Reply Acknowledge(IncomingInteraction interaction)
    {
        var clicked = interaction.MessageId is { } id ? cards.FindKey(interaction.Conversation.Channel, interaction.Conversation.ConversationId, id) : null;
        var answer = engine.Acknowledge(interaction.Value ?? string.Empty, interaction.User, clicked);
        return answer is { Changed: true, Ticket: { } ticket } && clicked is not null
            ? EscalationReplies.Settled(ticket, answer.Text) with { ReplacesSource = true }
            : Answer(answer);
    }

    private Reply OpenReassign(IncomingInteraction interaction)
    {
        var chain = engine.Chain(interaction.Value ?? string.Empty);
        if (chain is null)
        {
            return Reply.Private(Md.Text($"That escalation no longer exists."));
        }

        if (!engine.MayAnswer(chain, interaction.User))
        {
            return Reply.Private(Md.Text($"Only the people paged for {chain.TicketId} and the platform team's agents can reassign it."));
        }

        return Reply.OpenForm(ReassignForm(chain));
    }

    private Reply SubmitReassign(IncomingInteraction interaction)
    {
        var chain = engine.Chain(interaction.State ?? string.Empty);
        var person = interaction.Values.GetValueOrDefault(PersonField)?.Trim() ?? string.Empty;
        if (chain is null)
        {
            return Reply.Private(Md.Text($"That escalation no longer exists."));
        }

        if (person.Length == 0 || people.FindKnown(person) is null)
        {
            return Reply.OpenForm(ReassignForm(chain).WithErrors(
                new Dictionary<string, string> { [PersonField] = "Pick someone from a schedule or the platform team." },
                interaction.Values));
        }

        return Answer(engine.Reassign(chain.Id, interaction.User, person));
    }

    private Reply OpenEscalate(IncomingInteraction interaction)
    {
        var ticket = tickets.Find(interaction.Value ?? string.Empty);
        return ticket is null
            ? Reply.Private(Md.Text($"I can't find that ticket any more."))
            : Reply.OpenForm(EscalateForm(ticket.Id));
    }

    private Reply SubmitEscalate(IncomingInteraction interaction)
    {
        var ticketId = interaction.State ?? string.Empty;
        var reason = interaction.Values.GetValueOrDefault(ReasonField)?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            return Reply.OpenForm(EscalateForm(ticketId).WithErrors(new Dictionary<string, string> { [ReasonField] = "Say why: the people paged read it first." }, interaction.Values));
        }

        return manual.Escalate(interaction.User, ticketId, reason);
    }

    private Form ReassignForm(EscalationChain chain) =>
        new(EscalationRoutes.ReassignForm, $"Reassign {chain.TicketId}",
        [
            new FormField(PersonField, "Who should take it?", FormFieldKind.Select) { Required = true, Options = EscalationReplies.PeopleOptions(people.KnownPeople()) },
        ])
        {
            SubmitLabel = "Reassign",
            State = chain.Id,
        };

    private static Form EscalateForm(string ticketId) =>
        new(EscalationRoutes.EscalateForm, $"Escalate {ticketId}",
        [
            new FormField(ReasonField, "Why does it need someone now?", FormFieldKind.MultilineText) { Required = true, MaxLength = ManualEscalation.MaxReasonLength },
        ])
        {
            SubmitLabel = "Escalate",
            State = ticketId,
        };

    private static Reply Answer(ChainAnswer answer) => Reply.Private(answer.Text);
}
