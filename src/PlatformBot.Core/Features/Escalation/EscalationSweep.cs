using PlatformBot.Scheduling;

namespace PlatformBot.Features.Escalation;

/// <summary>Quartz wakes this on <c>Escalation:SweepInterval</c>; it moves every chain whose next step has come.</summary>
internal sealed class EscalationSweep(EscalationEngine engine) : ISweep
{
    public Task<int> RunDueAsync(CancellationToken cancellationToken) => Task.FromResult(engine.RunDue());
}
