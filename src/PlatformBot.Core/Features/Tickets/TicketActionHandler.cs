using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Features.Tickets;

/// <summary>The card's buttons (<c>ticket.*</c>, value = ticket id) and the new-ticket form (<c>ticket.form</c>).</summary>
internal sealed class TicketActionHandler(TicketService tickets, TicketReplies replies, TimeProvider time) : IInteractionHandler
{
    public async Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        if (interaction.ActionId == TicketRoutes.Form)
        {
            return interaction.IsFormSubmission
                ? await SubmitAsync(interaction, cancellationToken)
                : Reply.OpenForm(TicketReplies.NewTicketForm(null));
        }

        var id = TicketCommandParser.NormalizeId(interaction.Value ?? string.Empty, tickets.Prefix);
        if (id is null)
        {
            return Reply.Private(Md.Text($"That button does not name a ticket."));
        }

        return interaction.ActionId switch
        {
            TicketRoutes.Acknowledge => await ChangeAsync(new ChangeTicket(TicketVerb.Acknowledge, id), interaction, cancellationToken),
            TicketRoutes.AssignToMe => await ChangeAsync(new ChangeTicket(TicketVerb.Assign, id) { Assignee = "me" }, interaction, cancellationToken),
            TicketRoutes.Resolve => await ChangeAsync(new ChangeTicket(TicketVerb.Resolve, id), interaction, cancellationToken),
            TicketRoutes.Reopen => await ChangeAsync(new ChangeTicket(TicketVerb.Reopen, id), interaction, cancellationToken),
            TicketRoutes.Escalate => Reply.Private(await tickets.RequestEscalationAsync(id, interaction.User, cancellationToken)),
            TicketRoutes.Sla => tickets.View(id, interaction.User, t => replies.Explain(t, interaction.User, time.GetUtcNow())),
            _ => Reply.Private(Md.Text($"That button is no longer supported.")),
        };
    }

    /// <summary>A click answers with the fresh card in place of the clicked one (the outbox updates the card's other copies).</summary>
    private async Task<Reply> ChangeAsync(ChangeTicket change, IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        var outcome = await tickets.ChangeAsync(change, interaction.User, interaction.Conversation, cancellationToken);
        return outcome is { Ticket: { } ticket, Refusal: null }
            ? replies.Card(ticket, time.GetUtcNow()) with { ReplacesSource = true }
            : Reply.Private(outcome.Refusal ?? RichText.Empty);
    }

    private async Task<Reply> SubmitAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        var values = interaction.Values;
        string Value(string name) => values.TryGetValue(name, out var v) ? v.Trim() : string.Empty;

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var title = Value(TicketRoutes.Fields.Title);
        if (title.Length == 0)
        {
            errors[TicketRoutes.Fields.Title] = "Say in one line what is wrong.";
        }
        else if (title.Length > TicketCommandParser.MaxSummaryLength)
        {
            errors[TicketRoutes.Fields.Title] = $"{title.Length} characters; the limit is {TicketCommandParser.MaxSummaryLength}. Move the rest to the description.";
        }

        var description = Value(TicketRoutes.Fields.Description);
        if (description.Length > TicketCommandParser.MaxDescriptionLength)
        {
            errors[TicketRoutes.Fields.Description] = $"{description.Length} characters; the limit is {TicketCommandParser.MaxDescriptionLength}.";
        }

        var priorityText = Value(TicketRoutes.Fields.Priority);
        var priority = priorityText.Length == 0 ? TicketPriority.P3 : TicketCommandParser.ParsePriority(priorityText);
        if (priority is null)
        {
            errors[TicketRoutes.Fields.Priority] = "Choose P1, P2, P3 or P4.";
        }

        var category = Value(TicketRoutes.Fields.Category).TrimStart('#');
        if (category.Length > 0 && TicketCommandParser.ParseCategory("#" + category) is null)
        {
            errors[TicketRoutes.Fields.Category] = "One word of letters, digits, '-' or '_', starting with a letter (up to 32).";
        }

        var service = Value(TicketRoutes.Fields.Service);
        if (service.Length > TicketService.MaxServiceLength)
        {
            errors[TicketRoutes.Fields.Service] = $"{service.Length} characters; the limit is {TicketService.MaxServiceLength}.";
        }

        if (errors.Count > 0)
        {
            var form = TicketReplies.NewTicketForm(new TicketDraft(IdempotencyKey: interaction.State)).WithErrors(errors, values);
            return Reply.OpenForm(form);
        }

        var filing = await tickets.FileAsync(
            new TicketRequest(interaction.User, title, interaction.Conversation.WithoutThread())
            {
                Description = description.Length == 0 ? null : description,
                Priority = priority!.Value,
                Category = category.Length == 0 ? null : category,
                Service = service.Length == 0 ? null : service,
                IdempotencyKey = interaction.State is { Length: > 0 } key ? key : null,
            },
            cancellationToken);
        return filing.Reply;
    }
}

/// <summary>A reply in a ticket card's thread is a comment on the ticket (its requester's, or the platform team's).</summary>
internal sealed class TicketThreadHandler(TicketService tickets) : IMessageHandler
{
    public async Task<Reply?> HandleAsync(IncomingMessage message, string? cardKey, CancellationToken cancellationToken)
    {
        if (cardKey is null || !cardKey.StartsWith(TicketRoutes.CardKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var text = message.Text.Trim();
        if (text.Length == 0)
        {
            return Reply.None;
        }

        var change = new ChangeTicket(TicketVerb.Comment, cardKey[TicketRoutes.CardKeyPrefix.Length..]) { Text = text };
        var outcome = await tickets.ChangeAsync(change, message.User, message.Conversation, cancellationToken, fromThread: true);
        return outcome.Refusal is { } refusal ? Reply.Private(refusal) : Reply.None;
    }
}
