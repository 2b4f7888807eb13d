namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Runs the inbound batches. At start it queues what a previous process acknowledged but did not finish, before the
/// server accepts new requests.
/// </summary>
internal sealed partial class SlackInboxWorker(SlackInbound inbound, SlackInbox inbox, ILogger<SlackInboxWorker> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = inbox.PendingIds();
        if (pending.Count > 0)
        {
            LogResuming(pending.Count);
            inbound.Resume(pending);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await inbound.RunBatchesAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what was not done stays pending in the inbox
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} Slack deliveries acknowledged before the last stop")]
    private partial void LogResuming(int count);
}
