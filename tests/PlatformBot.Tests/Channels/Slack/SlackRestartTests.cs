using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>Acknowledged work survives a stop, and retries stay recognised across it.</summary>
public sealed class SlackRestartTests
{
    [Fact]
    public async Task AcknowledgedButUnfinishedWork_IsDoneAfterARestart_Once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var folder = TempFolder.Create();
        var mention = SlackTestBot.Mention($"<@{SlackTestBot.BotUser}> echo survives", channel: "C0RESTART");
        HttpStatusCode acknowledged;
        await using (var first = await SlackTestBot.StartAsync(slack, folder))
        {
            first.Services.GetRequiredService<TestFeature>().Hold = new TaskCompletionSource(); // the work never finishes in this process
            acknowledged = (await SlackTestBot.EventAsync(first, mention, "Ev0RESTART")).StatusCode;
        }

        var postsBeforeRestart = slack.CallsTo("chat.postMessage").Count();
        await using var second = await SlackTestBot.StartAsync(slack, folder);
        await slack.WaitForAsync("chat.postMessage");
        var retry = await SlackTestBot.EventAsync(second, mention, "Ev0RESTART", new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        await second.DeliverOutboxAsync();

        Assert.Equal(HttpStatusCode.OK, acknowledged);
        Assert.Equal(0, postsBeforeRestart);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Contains("survives", SlackEndpointTests.Texts(slack.CallsTo("chat.postMessage").Single().Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandAcknowledgedAtTheBudget_IsDoneAfterARestart()
    {
        await using var slack = await FakeSlack.StartAsync();
        var folder = TempFolder.Create();
        HttpStatusCode acknowledged;
        await using (var first = await SlackTestBot.StartAsync(slack, folder))
        {
            first.Services.GetRequiredService<TestFeature>().Hold = new TaskCompletionSource();
            var pending = SlackTestBot.CommandAsync(first, "/echo", "outlives the process", channel: "C0LATE");
            while (!pending.IsCompleted)
            {
                first.Time.Advance(TimeSpan.FromMilliseconds(500));
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            acknowledged = (await pending).StatusCode;
        }

        await using var second = await SlackTestBot.StartAsync(slack, folder);
        var post = (await slack.WaitForAsync("chat.postMessage")).Single();

        Assert.Equal(HttpStatusCode.OK, acknowledged);
        Assert.Equal("C0LATE", (string?)post.Body["channel"]);
    }
}
