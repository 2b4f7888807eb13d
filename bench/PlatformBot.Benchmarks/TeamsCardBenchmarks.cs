using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Teams;
using PlatformBot.Routing;

namespace PlatformBot.Benchmarks;

/// <summary>
/// What the Teams adapter spends turning the ticket card (the reply to every message of the Teams benchmark) into the
/// connector's HTTP body: the card alone (render and size check), and the whole activity as <c>ConnectorClient</c> sends it.
/// And a reply too big for Teams (60 parts of about 1 KB, as a long dead-letter list), which is shortened to fit.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class TeamsCardBenchmarks
{
    private readonly Reply _tooBig = new()
    {
        Blocks = [.. Enumerable.Range(1, 60).Select(i => (Block)new SectionBlock(Md.Text($"Dead letter {i}: {new string('x', 900)}"), [new Field("Attempts", Md.Text($"{i}"))]))],
    };

    private Reply _ticketCard = Reply.None;

    [GlobalSetup]
    public void Setup()
    {
        // A real ticket card, filed as the Teams benchmark files them; the host is only needed for that.
        var app = BenchHost.StartAsync(BenchHost.TempFolder("teams-card")).GetAwaiter().GetResult();
        try
        {
            var user = new UserRef(PlatformBot.Conversations.Channels.Teams, "29:1user-aad", "Dana Ops");
            var conversation = new ConversationAddress(PlatformBot.Conversations.Channels.Teams, "a:1personal", IsDirect: true);
            _ticketCard = app.Services.GetRequiredService<IBotRouter>()
                .HandleCommandAsync(new IncomingCommand("ticket", "printer on floor 3 is broken #n", user, conversation) { MessageId = "m1" })
                .GetAwaiter().GetResult();
            if (_ticketCard.CardKey is null)
            {
                throw new InvalidOperationException("Filing failed: " + _ticketCard.ToPlainText());
            }
        }
        finally
        {
            BenchHost.StopAsync(app).GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public object Card() => AdaptiveCardRenderer.Card(_ticketCard);

    [Benchmark]
    public object ShortenedCard() => AdaptiveCardRenderer.Card(_tooBig);

    /// <summary>The reply as <c>TeamsSender</c> renders it and <c>ConnectorClient</c> serializes it.</summary>
    [Benchmark(Baseline = true)]
    public byte[] MessageBody()
    {
        var activity = AdaptiveCardRenderer.Message(_ticketCard);
        activity.From = new ChannelAccount { Id = "28:bot", Name = "PlatformBot" };
        activity.Conversation = new ConversationAccount { Id = "a:1personal", TenantId = "tenant" };
        return JsonSerializer.SerializeToUtf8Bytes(activity, TeamsJson.Default.Activity);
    }
}
