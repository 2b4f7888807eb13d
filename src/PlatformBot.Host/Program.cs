using Microsoft.Extensions.Options;
using PlatformBot.Host.Hosting;
using PlatformBot.Storage;

if (args is ["kb", ..] or ["--environment", _, "kb", ..]) // `dotnet run` puts --environment Development first
{
    return await PlatformBot.Host.Cli.KnowledgeCli.RunAsync(args[(Array.IndexOf(args, "kb") + 1)..], Console.Out, Console.Error);
}

try
{
    var app = PlatformBotHost.Build(args);
    PlatformBotHost.OpenStorageEarly(app);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("PlatformBot cannot start: the configuration is invalid.");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure);
    }

    return 2;
}
catch (StorageException ex)
{
    await Console.Error.WriteLineAsync("PlatformBot cannot start: " + ex.Message);
    return 3;
}
