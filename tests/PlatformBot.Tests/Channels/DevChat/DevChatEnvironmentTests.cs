using System.Net;
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
}
