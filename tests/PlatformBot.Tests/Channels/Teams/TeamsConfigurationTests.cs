using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PlatformBot.Host.Channels.Teams;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Teams;

public sealed class TeamsConfigurationTests
{
    [Theory]
    [InlineData("--Teams:AppId=3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Teams:AppPassword")]
    [InlineData("--Teams:AppId=not-a-guid", "Teams:AppId")]
    [InlineData("--Teams:TenantId=contoso", "Teams:TenantId")]
    [InlineData("--Teams:OpenIdMetadataUrl=http://login.example.com/keys", "Teams:OpenIdMetadataUrl")]
    public async Task InvalidTeamsSetting_StopsTheStart_NamingTheKey(string setting, string named)
    {
        var app = PlatformBotHost.Build(["--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}", setting]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, string.Join("\n", error.Failures), StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Production_WithoutAnAppId_KeepsTeamsOff()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Production" });

        using var response = await bot.Http.PostAsync(TeamsChannel.Endpoint, new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Production_WithoutAnAppId_ButExplicitlyAllowed_AnswersLocalClients()
    {
        var connector = await FakeConnector.StartAsync();
        await using (connector)
        {
            await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Production", ["Teams:AllowUnauthenticated"] = "true" });

            using var response = await bot.Http.PostAsync(TeamsChannel.Endpoint, new StringContent(TeamsFixtures.Message(connector.ServiceUrl, "help").ToJsonString(), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Single(connector.Posts);
        }
    }
}

public sealed class TeamsSecretSourcesTests
{
    [Theory]
    [InlineData("appsettings.json", true)]
    [InlineData("appsettings.Production.json", true)]
    [InlineData("secrets.json", false)]
    public void AppPassword_IsRefusedOnlyWhenItComesFromAnAppsettingsFile(string file, bool refused)
    {
        var folder = TempFolder.Create();
        File.WriteAllText(Path.Combine(folder, file), "{\"Teams\":{\"AppPassword\":\"s3cret\"}}");
        var configuration = new ConfigurationBuilder().SetBasePath(folder).AddJsonFile(file).Build();

        var error = Record.Exception(() => PlatformBot.Host.Hosting.SettingsFileSecrets.EnsureNotInSettingsFiles(configuration));

        Assert.Equal(refused, error is Microsoft.Extensions.Options.OptionsValidationException);
        if (refused)
        {
            Assert.Contains("Teams__AppPassword", error!.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        }
    }
}
