using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.DevChat;

public sealed class DevChatEnvironmentTests
{
    [Fact]
    public async Task Production_WithoutTheSetting_DoesNotServeTheDevChat()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Production" });

        var page = await bot.Http.GetAsync("/", TestContext.Current.CancellationToken);
        var api = await bot.Http.GetAsync("/api/dev/conversations/support", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Production_WithTheSetting_ServesItAndSaysSo()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["environment"] = "Production", ["DevChannel:Enabled"] = "true" });

        var info = await bot.Http.GetStringAsync("/api/dev/info", TestContext.Current.CancellationToken);

        Assert.Contains("\"production\":true", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_OnAllInterfaces_RefusesToStart()
    {
        var settings = new Dictionary<string, string?> { ["environment"] = "Production", ["DevChannel:Enabled"] = "true", ["urls"] = "http://0.0.0.0:0" };

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => TestBot.StartAsync(settings: settings));

        Assert.Contains("DevChannel:AllowRemote", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_OnAllInterfaces_WithAllowRemote_Starts()
    {
        var settings = new Dictionary<string, string?> { ["environment"] = "Production", ["DevChannel:Enabled"] = "true", ["DevChannel:AllowRemote"] = "true", ["urls"] = "http://0.0.0.0:0" };

        await using var bot = await TestBot.StartAsync(settings: settings);
        var info = await bot.Http.GetAsync($"http://127.0.0.1:{bot.Http.BaseAddress!.Port}/api/dev/info", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
    }

    [Fact]
    public async Task Production_WithTheSetting_WarnsThatAnyoneCanActAsAnyUser()
    {
        var logs = new RecordingLoggerProvider();

        await using var bot = await TestBot.StartAsync(
            settings: new Dictionary<string, string?> { ["environment"] = "Production", ["DevChannel:Enabled"] = "true" },
            services: s => s.AddSingleton<ILoggerProvider>(logs));

        Assert.Contains(logs.Messages, m => m.Contains("act as any user", StringComparison.Ordinal));
    }
}
