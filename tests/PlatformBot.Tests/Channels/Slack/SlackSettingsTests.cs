using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

public sealed class SlackSettingsTests
{
    [Fact]
    public void SecretInASettingsFile_StopsTheStart_NamingTheKeyAndTheFile()
    {
        var file = Path.Combine(TempFolder.Create(), "appsettings.json");
        File.WriteAllText(file, "{\"Slack\":{\"BotToken\":\"xoxb-leaked\"}}");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var error = Assert.Throws<OptionsValidationException>(() => SettingsFileSecrets.EnsureNotInSettingsFiles(configuration));

        Assert.Contains("Slack:BotToken", error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-leaked", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Teams", "AppPassword")]
    [InlineData("AI", "ApiKey")]
    [InlineData("Surveys", "AnonymityKey")]
    public void EverySecretOfTheBot_InASettingsFile_StopsTheStart(string section, string key)
    {
        var file = Path.Combine(TempFolder.Create(), "appsettings.Production.json");
        File.WriteAllText(file, $"{{\"{section}\":{{\"{key}\":\"leaked-value\"}}}}");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var error = Assert.Throws<OptionsValidationException>(() => SettingsFileSecrets.EnsureNotInSettingsFiles(configuration));

        Assert.Contains($"{section}:{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{section}__{key}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretFromTheEnvironmentOrUserSecrets_IsAccepted()
    {
        var folder = TempFolder.Create();
        var secrets = Path.Combine(folder, "secrets.json");
        File.WriteAllText(secrets, "{\"Slack\":{\"SigningSecret\":\"from-user-secrets\"}}");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(secrets)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-from-environment" })
            .Build();

        SettingsFileSecrets.EnsureNotInSettingsFiles(configuration);
    }

    [Fact]
    public async Task AppTokenWithoutBotToken_StopsTheStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Slack:AppToken"] = "xapp-1" }));

        Assert.Contains("Slack:BotToken", error.Message, StringComparison.Ordinal);
    }
}
