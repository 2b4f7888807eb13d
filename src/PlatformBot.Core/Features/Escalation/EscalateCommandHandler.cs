using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Features.Escalation;

/// <summary><c>/escalate &lt;ticket&gt; &lt;reason&gt;</c> and <c>/escalate dryrun &lt;priority&gt; [at &lt;time&gt;]</c>.</summary>
internal sealed class EscalateCommandHandler(ManualEscalation manual, EscalationEngine engine, EscalationBook book, IEscalationTickets tickets, TimeProvider time) : ICommandHandler
{
    public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        var reply = EscalationCommandParser.ParseEscalate(command.Text) switch
        {
            EscalateTicket e => manual.Escalate(command.User, e.TicketId, e.Reason),
            DryRunCommand d => DryRun(command.User, d),
            EscalationUsage u => Usage(u.Problem),
            _ => Usage(null),
        };
        await tickets.FlushAsync(cancellationToken);
        return reply;
    }

    private Reply DryRun(UserRef user, DryRunCommand command)
    {
        var zone = engine.ReaderZone(user);
        var now = time.GetUtcNow();
        var at = now;
        if (command.At.Count > 0 && !TimeExpression.TryParse(command.At, zone, now, out at))
        {
            return Reply.Private(Md.Text($"I can't read `{string.Join(' ', command.At)}` as a time. Try {Md.Raw(TimeExpression.Examples)} (read in {zone.Id})."));
        }

        var policy = book.PolicyFor(command.Priority, command.Category);
        var steps = policy is null ? [] : engine.DryRun(policy, command.Priority, at);
        return EscalationReplies.DryRun(command.Priority, command.Category, policy, at, zone, steps, r => r.Kind == RecipientKind.Channel ? "#" + r.Id : engine.Display(r.Id));
    }

    private static Reply Usage(RichText? problem) => EscalationReplies.Usage(problem, EscalationCommandParser.EscalateUsage);
}
