using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PlatformBot.Features.Escalation;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Features.Surveys;
using PlatformBot.Team;
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

    [Fact]
    public async Task NothingNamingAnEnvironment_IsProduction_EvenInsideASourceCheckout()
    {
        // This test's host runs from bin/ under the repository: it used to start as Development (dev chat on, Teams
        // authentication off, developer exception pages) because a PlatformBot.sln was found above it.
        Assert.Null(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"));
        var app = PlatformBotHost.Build(["--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}"]);

        Assert.Equal("Production", app.Environment.EnvironmentName);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task ContainerPortVariable_IsHonoured_InsteadOfOurDefaultAddress()
    {
        // The official .NET container images set ASPNETCORE_HTTP_PORTS=8080; overriding it with localhost:5080 made the bot
        // unreachable from outside its container.
        var app = PlatformBotHost.Build([$"--PlatformBot:DataDirectory={TempFolder.Create()}", "--http_ports=0", "--environment=Development"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;

        Assert.DoesNotContain(addresses, a => a.Contains(":5080", StringComparison.Ordinal));
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Production_StartsWithNoSamplePeopleOrSchedules()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Production" });

        Assert.Empty(bot.Services.GetRequiredService<IRoles>().AgentEntries);
        Assert.Empty(bot.Services.GetRequiredService<IOptions<OnCallOptions>>().Value.Schedules);
        Assert.Empty(bot.Services.GetRequiredService<IOptions<EscalationOptions>>().Value.Policies);
        Assert.Empty(bot.Services.GetRequiredService<IOptions<OfficeHoursOptions>>().Value.Sessions);
        Assert.Empty(bot.Services.GetRequiredService<IOptions<SurveysOptions>>().Value.Definitions);
    }

    [Fact]
    public async Task Development_HasTheSamples_WithDevChatRoles()
    {
        await using var bot = await TestBot.StartAsync();

        Assert.Equal(["dev:dana", "dev:omar", "dev:priya"], bot.Services.GetRequiredService<IRoles>().AgentEntries);
        Assert.NotEmpty(bot.Services.GetRequiredService<IOptions<OfficeHoursOptions>>().Value.Sessions);
    }
}
