using System.Net;
using System.Text;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.DevChat;

public sealed class DevChatApiTests
{
    [Theory]
    [InlineData("{\"user\":\"alice\"", "not valid JSON")]
    [InlineData("{\"conversation\":\"support\",\"text\":\"hi\"}", "'user'")]
    [InlineData("{\"user\":\"alice\",\"conversation\":\"support\"}", "'text'")]
    [InlineData("{\"user\":\"a b\",\"conversation\":\"support\",\"text\":\"hi\"}", "user must be")]
    [InlineData("[1,2]", "JSON object")]
    public async Task MalformedMessage_Is400_NamingTheProblem(string body, string expected)
    {
        await using var bot = await TestBot.StartAsync();

        var response = await bot.Http.PostAsync("/api/dev/messages", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickOnAMessageThatDoesNotExist_Is404()
    {
        await using var bot = await TestBot.StartAsync();

        var response = await bot.Http.PostAsync(
            "/api/dev/actions",
            new StringContent("{\"user\":\"alice\",\"conversation\":\"support\",\"messageId\":\"m999\",\"actionId\":\"x\"}", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ClickInSomeoneElsesDirectMessages_Is400()
    {
        await using var bot = await TestBot.StartAsync();
        var reply = (await bot.SayAsync("alice", "help", conversation: "dm:alice")).Single()!;

        var response = await bot.Http.PostAsync(
            "/api/dev/actions",
            new StringContent($"{{\"user\":\"mallory\",\"conversation\":\"dm:alice\",\"messageId\":\"{reply["id"]}\",\"actionId\":\"x\"}}", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BareAdminId_GivesADevChatUserNoRole()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Team:Admins:0"] = "mallory" });

        var help = (string)(await bot.SayAsync("mallory", "help")).Single()!["text"]!;

        Assert.DoesNotContain("/platform", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversation_SurvivesARestart()
    {
        var folder = TempFolder.Create();
        await using (var bot = await TestBot.StartAsync(folder))
        {
            await bot.SayAsync("alice", "help");
        }

        await using var again = await TestBot.StartAsync(folder);
        var messages = await again.ConversationAsync("support", "alice");

        Assert.Equal(["alice", "PlatformBot"], messages.Select(m => (string)m!["from"]!));
    }

    [Fact]
    public async Task PrivateAnswers_AreOnlyVisibleToTheirRequester()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "help");

        var bob = await bot.ConversationAsync("support", "bob");

        Assert.Equal(["alice"], bob.Select(m => (string)m!["from"]!));
    }

    [Fact]
    public async Task Healthz_And_Readyz_Answer200()
    {
        await using var bot = await TestBot.StartAsync();

        var health = await bot.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        var ready = await bot.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readyz_WithAMissingKnowledgeFolder_IsNotReady_NamingIt()
    {
        var missing = Path.Combine(TempFolder.Create(), "no-such-kb");
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Knowledge:Folders:0"] = missing });

        var ready = await bot.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("no-such-kb", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountHandledCommands()
    {
        await using var bot = await TestBot.StartAsync();
        await bot.SayAsync("alice", "help");

        var metrics = await bot.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Matches("platformbot_requests_total\\{[^}]*kind=\"command:help\"[^}]*outcome=\"ok\"[^}]*\\} [1-9]", metrics);
    }
}
