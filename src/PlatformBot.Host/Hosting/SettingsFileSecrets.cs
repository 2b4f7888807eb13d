using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Hosting;

/// <summary>
/// Secrets come from environment variables or user secrets, never from a settings file that is checked in: the start
/// stops, naming the key and the file (never the value), when a JSON settings file other than user secrets sets one.
/// </summary>
internal static class SettingsFileSecrets
{
    public static readonly string[] Keys =
    [
        "Slack:SigningSecret", "Slack:BotToken", "Slack:AppToken",
        "Teams:AppPassword",
        "AI:ApiKey",
        "Surveys:AnonymityKey",
    ];

    /// <exception cref="OptionsValidationException">A JSON settings file (other than user secrets) sets a secret.</exception>
    public static void EnsureNotInSettingsFiles(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        var failures = new List<string>();
        foreach (var provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            var path = provider.Source.Path ?? string.Empty;
            path = provider.Source.FileProvider?.GetFileInfo(path).PhysicalPath ?? path;
            if (path.EndsWith("secrets.json", StringComparison.OrdinalIgnoreCase))
            {
                continue; // user secrets live outside the repository
            }

            foreach (var key in Keys)
            {
                if (provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
                {
                    failures.Add($"{key} is set in {path}; secrets belong in environment variables ({key.Replace(":", "__", StringComparison.Ordinal)}) or user secrets (dotnet user-secrets set {key} …), never in a settings file.");
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Secrets", typeof(string), failures);
        }
    }
}
