using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Host.Hosting;

namespace PlatformBot.Benchmarks;

/// <summary>The real host (Kestrel on 127.0.0.1, LiteDB on disk, Quartz, outbox), started in this process.</summary>
internal static class BenchHost
{
    public static async Task<WebApplication> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, string environment = "Production")
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--environment={environment}",
            $"--PlatformBot:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            "--DevChannel:Enabled=true",
        };
        args.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"));
        var app = PlatformBotHost.Build([.. args], builder => services?.Invoke(builder.Services));
        PlatformBotHost.OpenStorageEarly(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>Stops the host (Quartz, the outbox, the writers) before disposing it; disposing alone leaves Quartz running.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>A fresh folder under the system's temp folder, deleted when the process exits (a run leaves no data behind).</summary>
    public static string TempFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "platformbot-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // still in use: the system's temp cleaning takes it
            }
        };
        return path;
    }
}
