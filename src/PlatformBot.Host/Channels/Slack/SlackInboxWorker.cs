using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Works on acknowledged deliveries in the background. At start it queues what a previous process acknowledged but did
/// not finish, before the server accepts new requests.
/// </summary>
internal sealed partial class SlackInboxWorker(SlackInbound inbound, SlackInbox inbox, IOptions<SlackOptions> options, ILogger<SlackInboxWorker> logger)
    : BackgroundService
{
    private readonly List<string> _leftOver = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _leftOver.AddRange(inbox.PendingIds());
        if (_leftOver.Count > 0)
        {
            LogResuming(_leftOver.Count);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var id in _leftOver)
        {
            await RunOneAsync(id, stoppingToken);
        }

        _leftOver.Clear();
        var workers = Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in inbound.Queue.ReadAllAsync(stoppingToken))
            {
                await RunOneAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what was not done stays pending in the inbox
        }
    }

    private async Task RunOneAsync(string id, CancellationToken stoppingToken)
    {
        try
        {
            await inbound.ProcessPendingAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} Slack deliveries acknowledged before the last stop")]
    private partial void LogResuming(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Working on Slack delivery {Id} failed")]
    private partial void LogFailed(Exception ex, string id);
}
