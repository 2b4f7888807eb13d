using PlatformBot.Scheduling;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// Woken by Quartz every minute: fans out prompts not yet queued (after a restart mid-run), starts post-resolution CSATs,
/// sends reminders and closes runs that are due. Each step is idempotent, so running it twice changes nothing.
/// </summary>
internal sealed class SurveySweep(SurveyRunner runner) : ISweep, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return runner.FanOut() + runner.StartAfterResolutionsDue() + runner.SendRemindersDue() + runner.CloseDue();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();
}
