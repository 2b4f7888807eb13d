namespace PlatformBot.Scheduling;

/// <summary>
/// Wakes a background loop at once when there is work, else after its poll interval on the injected clock. The timed-out
/// wait is withdrawn, not abandoned: a wait left behind on the semaphore would swallow the next wake-up.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Waits for a wake-up or the poll interval. Returns false when <paramref name="stopping"/> was cancelled.</summary>
    public async Task<bool> WaitAsync(TimeSpan pollInterval, TimeProvider time, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(pollInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // the poll interval passed
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    public void Dispose() => _wake.Dispose();
}
