using PlatformBot.Scheduling;
using Quartz;

namespace PlatformBot.Host.Hosting;

/// <summary>The one Quartz job type: wakes a feature's sweep, which runs whatever is due in LiteDB.</summary>
[DisallowConcurrentExecution]
internal sealed partial class SweepJob(IServiceProvider services, ILogger<SweepJob> logger) : IJob
{
    public const string SweepTypeKey = "sweepType";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var typeName = context.MergedJobDataMap.GetString(SweepTypeKey);
        var type = typeName is null ? null : Type.GetType(typeName);
        if (type is null || services.GetService(type) is not ISweep sweep)
        {
            LogMissing(typeName);
            return;
        }

        try
        {
            await sweep.RunDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, type.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No sweep registered as {Type}")]
    private partial void LogMissing(string? type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Sweep} failed; it runs again at its next wake-up")]
    private partial void LogFailed(Exception ex, string sweep);
}
