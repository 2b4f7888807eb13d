using Microsoft.Extensions.Options;
using PlatformBot.Host.Hosting;

namespace PlatformBot.Tests.Support;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Team:TimeZone", "Mars/Olympus", "Team:TimeZone")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts")]
    public async Task InvalidValue_StopsTheStart_NamingTheKey(string key, string value, string named)
    {
        var app = PlatformBotHost.Build(["--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}", $"--{key}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, string.Join("\n", error.Failures), StringComparison.Ordinal);
        await app.DisposeAsync();
    }
}
