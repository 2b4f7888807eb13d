using PlatformBot.Features.Tickets;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// Woken by Quartz every minute: fans out prompts not yet queued (after a restart mid-run), starts post-resolution CSATs,
/// sends reminders and closes runs that are due. Each step is idempotent, so running it twice changes nothing.
/// </summary>
internal sealed class SurveySweep(SurveyRunner runner, IEnumerable<ITickets> tickets) : ISweep, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return runner.FanOut() + runner.StartAfterResolutionsDue(IsStillResolved) + runner.SendRemindersDue() + runner.CloseDue();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>A ticket this process cannot look up (no Tickets feature, or it was removed) is taken as resolved.</summary>
    private bool IsStillResolved(string ticketId) =>
        tickets.FirstOrDefault()?.Find(ticketId) is not { State: not (TicketState.Resolved or TicketState.Closed) };

    public void Dispose() => _oneAtATime.Dispose();
}
