using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Team;

namespace PlatformBot.Features.Tickets;

/// <summary><c>/ticket …</c> in every channel.</summary>
internal sealed class TicketCommandHandler(TicketService tickets, ITicketStore store, TicketReplies replies, IRoles roles, TimeProvider time) : ICommandHandler
{
    public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        var parsed = TicketCommandParser.Parse(command.Text, tickets.Prefix);
        switch (parsed)
        {
            case OpenTicketForm:
                return Reply.OpenForm(TicketReplies.NewTicketForm(null));
            case TicketUsage:
                return Reply.Private(Md.Parse(TicketCommandParser.Usage));
            case TicketParseError error:
                return Reply.Private(error.Message);
            case FileTicket file:
                var filing = await tickets.FileAsync(
                    new TicketRequest(command.User, file.Summary, command.Conversation.WithoutThread())
                    {
                        Priority = file.Priority,
                        Category = file.Category,
                        IdempotencyKey = command.MessageId is { } id ? $"message:{command.Conversation.Channel}:{command.Conversation.ConversationId}:{id}" : null,
                    },
                    cancellationToken);
                return filing.Reply;
            case ListTickets list:
                return List(list.Kind, command.User);
            case ShowTicket show:
                return tickets.View(show.Id, command.User, t => replies.Show(t, time.GetUtcNow()));
            case ExplainSla explain:
                return tickets.View(explain.Id, command.User, t => replies.Explain(t, command.User, time.GetUtcNow()));
            case ChangeTicket change:
                var outcome = await tickets.ChangeAsync(change, command.User, command.Conversation, cancellationToken);
                return Reply.Private(outcome.Refusal ?? outcome.Confirmation ?? RichText.Empty);
            default:
                return Reply.Private(Md.Parse(TicketCommandParser.Usage));
        }
    }

    private Reply List(TicketListKind kind, UserRef user)
    {
        var agent = roles.IsAgent(user);
        if (!agent && kind is TicketListKind.All or TicketListKind.Breaching)
        {
            return Reply.Private(Md.Text($"`/ticket list {Md.Raw(kind.ToString().ToLowerInvariant())}` is for the platform team; `/ticket list mine` shows your tickets."));
        }

        var effective = !agent && kind == TicketListKind.Open ? TicketListKind.Mine : kind;
        var now = time.GetUtcNow();
        var (found, total) = store.List(effective, user.Key, now, 25);
        var title = effective switch
        {
            TicketListKind.Mine => agent ? "Your open tickets (filed by or assigned to you)" : "Your open tickets",
            TicketListKind.Open => "Open tickets",
            TicketListKind.Breaching => "Tickets breached or breaching within the hour",
            _ => "All tickets, newest first",
        };
        return replies.List(title, found, total, now);
    }
}
