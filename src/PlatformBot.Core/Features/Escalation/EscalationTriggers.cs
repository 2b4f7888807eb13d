using PlatformBot.Events;
using PlatformBot.Features.Sla;
using PlatformBot.Features.Tickets;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// What starts and stops chains from the Tickets feature's events: a P1 ticket filed, the last SLA warning, an SLA breach;
/// a resolution, a closing or an agent's acknowledgement on the ticket stops the ticket's chain, and an agent's answer
/// stops the chain that waited for it (a P1 filing or a first-response alert: his first response; a next-response alert:
/// his reply). Events come at least once: a trigger starts its chain once (the chain id names ticket and trigger).
/// </summary>
internal sealed class EscalationTriggers(EscalationEngine engine, IEscalationTickets tickets, SlaSettings sla) :
    IDomainEventHandler<TicketCreated>,
    IDomainEventHandler<SlaWarning>,
    IDomainEventHandler<SlaBreached>,
    IDomainEventHandler<TicketResolved>,
    IDomainEventHandler<TicketClosed>,
    IDomainEventHandler<TicketAcknowledged>,
    IDomainEventHandler<TicketResponded>
{
    public Task HandleAsync(TicketCreated domainEvent, CancellationToken cancellationToken) =>
        domainEvent.Priority == TicketPriority.P1
            ? StartAsync(domainEvent.TicketId, "created", "P1 ticket filed", cancellationToken)
            : Task.CompletedTask;

    public Task HandleAsync(SlaWarning domainEvent, CancellationToken cancellationToken)
    {
        // Only the last warning fraction escalates; the earlier ones are the ticket's own reminders.
        if (sla.WarnAt.Count > 0 && domainEvent.Fraction < sla.WarnAt[^1] - 1e-9)
        {
            return Task.CompletedTask;
        }

        var metric = TimeWords.MetricName(domainEvent.Metric);
        return StartAsync(
            domainEvent.TicketId,
            $"sla-warning:{domainEvent.Metric}:{domainEvent.DueAt.ToUnixTimeSeconds()}",
            $"SLA about to be missed: {metric} due {TimeWords.AtWithZone(domainEvent.DueAt, engine.TeamZone)}",
            cancellationToken);
    }

    public Task HandleAsync(SlaBreached domainEvent, CancellationToken cancellationToken) =>
        StartAsync(
            domainEvent.TicketId,
            $"sla-breached:{domainEvent.Metric}:{domainEvent.DueAt.ToUnixTimeSeconds()}",
            $"SLA breached: {TimeWords.MetricName(domainEvent.Metric)} was due {TimeWords.AtWithZone(domainEvent.DueAt, engine.TeamZone)}",
            cancellationToken);

    public Task HandleAsync(TicketResolved domainEvent, CancellationToken cancellationToken) =>
        StopAsync(domainEvent.TicketId, $"{domainEvent.TicketId} was resolved by {domainEvent.ResolvedBy.Name}", cancellationToken);

    public Task HandleAsync(TicketClosed domainEvent, CancellationToken cancellationToken) =>
        StopAsync(domainEvent.TicketId, $"{domainEvent.TicketId} was closed by {domainEvent.By.Name}", cancellationToken);

    public async Task HandleAsync(TicketAcknowledged domainEvent, CancellationToken cancellationToken)
    {
        engine.AcknowledgedOnTicket(domainEvent.TicketId, domainEvent.Agent);
        await tickets.FlushAsync(cancellationToken);
    }

    public Task HandleAsync(TicketResponded domainEvent, CancellationToken cancellationToken) =>
        StopAsync(domainEvent.TicketId, $"{domainEvent.TicketId} was answered by {domainEvent.Agent.Name}", cancellationToken, chain => WaitsFor(chain.Trigger, domainEvent.Metric));

    /// <summary>Whether a chain with this trigger waits for an agent's answer of this kind (a manual escalation waits for an acknowledgement).</summary>
    internal static bool WaitsFor(string trigger, SlaMetric answered) =>
        (trigger == "created" && answered == SlaMetric.FirstResponse)
        || (trigger.Split(':') is ["sla-warning" or "sla-breached", var metric, _] && metric == answered.ToString());

    private async Task StartAsync(string ticketId, string trigger, string why, CancellationToken cancellationToken)
    {
        if (tickets.Find(ticketId) is { IsOpen: true } ticket)
        {
            engine.Start(ticket, trigger, why);
            await tickets.FlushAsync(cancellationToken);
        }
    }

    private async Task StopAsync(string ticketId, string reason, CancellationToken cancellationToken, Func<EscalationChain, bool>? which = null)
    {
        engine.StopFor(ticketId, reason, which);
        await tickets.FlushAsync(cancellationToken);
    }
}
