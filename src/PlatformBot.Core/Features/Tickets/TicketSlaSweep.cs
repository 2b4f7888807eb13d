using Microsoft.Extensions.Logging;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Sla;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.Tickets;

/// <summary>
/// Raises SLA warnings and breaches that have come due. Quartz wakes it (a short recurring sweep, see BENCHMARKS.md);
/// each ticket's due time (<c>SweepAt</c>) is stored with it and kept in order in memory (TicketIndex, rebuilt at open),
/// so an idle sweep answers without reading the file. Each alert is marked on
/// the ticket in the same transaction as its outbox notice and its domain event, so it is raised exactly once, also
/// across restarts: whatever came due while the process was down fires at the first sweep after the start.
/// </summary>
internal sealed partial class TicketSlaSweep(
    ITicketStore store,
    TicketMessages messages,
    TicketReplies replies,
    IDomainEvents events,
    SlaSettings sla,
    TimeProvider time,
    ILogger<TicketSlaSweep> logger) : ISweep
{
    public const string Name = "sla";
    private const int BatchSize = 256;

    private static readonly UserRef Sweeper = new("system", "sla", "SLA clock");

    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var due = store.DueForSweep(now, BatchSize);
            if (due.Count == 0)
            {
                break;
            }

            raised += await store.WriteAsync(() => due.Sum(id => RaiseDue(id, now)), cancellationToken);
            if (due.Count < BatchSize)
            {
                break;
            }
        }

        if (raised > 0)
        {
            LogRaised(raised);
        }

        return raised;
    }

    private int RaiseDue(string id, DateTimeOffset now)
    {
        if (store.Find(id) is not { } ticket || ticket.SweepAt > now)
        {
            // Changed since it was listed (answered, paused, raised by an overlapping run), or listed by an index entry
            // that a failed commit left behind: set from the document, so it is not listed again and again.
            store.Reindex(id);
            return 0;
        }

        var raised = 0;
        foreach (var timer in ticket.Timers.Where(t => t.IsRunning).ToList())
        {
            if (timer.TakeDue(now, sla.Calendar(timer.Calendar), sla.WarnAt) is not { } fraction)
            {
                continue;
            }

            raised++;
            var metric = TimeWords.MetricName(timer.Metric);
            var assignee = ticket.Assignee?.ToUserRef();
            var due = timer.DueAt ?? now;
            var percent = fraction >= 1 ? "breached" : $"{fraction:P0} warning";
            ticket.Record(Sweeper, "system", fraction >= 1 ? "SLA breached" : "SLA warning", $"{metric} {percent}", now);
            messages.ToThread(ticket, $"sla:{timer.Metric}:{timer.Cycle}:{fraction:0.###}", replies.SlaAlert(ticket, timer, fraction));
            events.Publish(fraction >= 1
                ? new SlaBreached(ticket.Id, timer.Metric, ticket.Priority, due, assignee, now)
                : new SlaWarning(ticket.Id, timer.Metric, fraction, ticket.Priority, due, assignee, now));
        }

        ticket.RefreshIndexes();
        store.Update(ticket);
        if (raised > 0)
        {
            messages.CardChanged(ticket, now);
        }

        return raised;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA sweep raised {Count} warning(s) or breach(es)")]
    private partial void LogRaised(int count);
}
