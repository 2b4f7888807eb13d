using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Platform;

public sealed class PlatformOutboxTests
{
    [Fact]
    public async Task Admin_SeesADeadLetter_AndReplayDeliversIt()
    {
        var sender = new RecordingSender("test") { FailWith = new ChannelSendException("channel_not_found", isTransient: false) };
        await using var bot = await TestBot.StartAsync(
            settings: new Dictionary<string, string?> { ["Team:Admins:0"] = "dev:root" },
            services: s => s.AddSingleton<IChannelSender>(sender));
        bot.Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage(
            "ping:1", new ToConversation(new ConversationAddress("test", "C1")), Reply.Text(Md.Text($"You are paged"))));
        await bot.DeliverOutboxAsync();

        var list = (await bot.SayAsync("root", "/platform outbox")).Single()!;
        sender.FailWith = null;
        var replayed = await bot.ClickAsync("root", list, "platform.outbox.replay", "ping:1");
        await bot.DeliverOutboxAsync();

        Assert.Contains("You are paged", (string)list["text"]!, StringComparison.Ordinal);
        Assert.Contains("Queued", (string)replayed.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Equal("You are paged", Assert.Single(sender.Sent).Reply.ToPlainText());
    }

    [Fact]
    public async Task QueuedMessage_WakesTheDispatcher_EvenAfterItsPollTimedOut()
    {
        var sender = new RecordingSender("test");
        await using var bot = await TestBot.StartAsync(services: s => s.AddSingleton<IChannelSender>(sender));
        var outbox = bot.Services.GetRequiredService<IOutbox>();
        var database = bot.Services.GetRequiredService<PlatformBot.Storage.PlatformDatabase>();

        for (var i = 0; i < 3; i++)
        {
            bot.Time.Advance(TimeSpan.FromSeconds(1)); // the dispatcher's poll fires and it waits again
            database.InTransaction(() => outbox.Enqueue(new OutboundMessage(
                $"wake:{i}", new ToConversation(new ConversationAddress("test", "C1")), Reply.Text(Md.Text($"ping {i}")))));
            await sender.WaitForPostsAsync(i + 1, TimeSpan.FromSeconds(10)); // the fake clock stands still meanwhile
        }

        Assert.Equal(["ping 0", "ping 1", "ping 2"], sender.Sent.Select(m => m.Reply.ToPlainText()));
    }

    [Fact]
    public async Task Replay_ByNonAdmin_IsRefused()
    {
        var sender = new RecordingSender("test") { FailWith = new ChannelSendException("nope", isTransient: false) };
        await using var bot = await TestBot.StartAsync(
            settings: new Dictionary<string, string?> { ["Team:Admins:0"] = "dev:root" },
            services: s => s.AddSingleton<IChannelSender>(sender));
        bot.Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage(
            "ping:1", new ToConversation(new ConversationAddress("test", "C1")), Reply.Text(Md.Text($"x"))));
        await bot.DeliverOutboxAsync();
        var list = (await bot.SayAsync("root", "/platform outbox")).Single()!;

        var answer = await bot.ClickAsync("mallory", list, "platform.outbox.replay", "ping:1");

        Assert.Contains("Only the platform team's admins", (string)answer.Single()!["text"]!, StringComparison.Ordinal);
        Assert.Single(bot.Services.GetRequiredService<LiteDbOutbox>().DeadLetters());
    }
}
