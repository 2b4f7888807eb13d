using PlatformBot.Scheduling;

namespace PlatformBot.Features.Escalation;

/// <summary>Quartz wakes this on <c>Escalation:SweepInterval</c>; it moves every chain whose next step has come.</summary>
internal sealed class EscalationSweep(EscalationEngine engine, IEscalationTickets tickets) : ISweep
{
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var moved = engine.RunDue();
        await tickets.FlushAsync(cancellationToken);
        return moved;
    }
}
