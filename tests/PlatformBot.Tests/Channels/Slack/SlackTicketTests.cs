using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;
using PlatformBot.Outbox;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>Tickets end to end through Slack: slash command, reaction, shortcuts, modal, thread, App Home.</summary>
public sealed class SlackTicketTests
{
    [Fact]
    public async Task SlashTicket_IsStoredBeforeTheAcknowledgement_AndItsCardIsPostedInTheChannel()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var alice = new UserRef("slack", "U0ALICE");

        var response = await SlackTestBot.CommandAsync(bot, "/ticket", "VPN drops every 10 minutes", channel: "C0OPS");
        var storedAtAck = bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(alice);
        var post = (await slack.WaitForAsync("chat.postMessage")).Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = Assert.Single(storedAtAck);
        Assert.Equal("VPN drops every 10 minutes", ticket.Summary);
        Assert.Equal("C0OPS", (string?)post.Body["channel"]);
        Assert.Contains(ticket.Id, SlackEndpointTests.Texts(post.Body), StringComparison.Ordinal);
        await SlackEndpointTests.Eventually(() => bot.Services.GetRequiredService<ICardDirectory>().Find(ticket.CardKey).Count == 1);
    }

    [Fact]
    public async Task SlashTicket_InAConversationTheBotCannotPostIn_IsAnsweredThroughTheResponseUrl_NotLost()
    {
        // A private channel the bot was not invited to, or a DM between two people: chat.postMessage is refused there.
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("chat.postMessage", 200, "{\"ok\":false,\"error\":\"channel_not_found\"}");

        var response = await SlackTestBot.CommandAsync(bot, "/ticket", "Grafana shows no data", channel: "G0PRIVATE", responseUrl: slack.ResponseUrl("r-private"));
        var answered = (await slack.WaitForAsync("response_url")).Single();
        var outbox = bot.Services.GetRequiredService<LiteDbOutbox>();
        await SlackEndpointTests.Eventually(() => outbox.Count(OutboxStatus.Delivered) == 1);
        await bot.DeliverOutboxAsync();

        var ticket = Assert.Single(bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(new UserRef("slack", "U0ALICE")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("in_channel", (string?)answered.Body["response_type"]);
        Assert.Contains(ticket.Id, SlackEndpointTests.Texts(answered.Body), StringComparison.Ordinal);
        Assert.Contains("/invite @PlatformBot", SlackEndpointTests.Texts(answered.Body), StringComparison.Ordinal);
        Assert.Equal(0, outbox.Count(OutboxStatus.DeadLetter));
        Assert.Equal(0, outbox.Count(OutboxStatus.Pending));
        Assert.Single(slack.CallsTo("chat.postMessage")); // not posted again by the outbox
    }

    [Fact]
    public async Task ATicketWhoseFilingFailsPartWay_StoresNothingOfIt_WhileTheOthersInItsBatchAreFiled()
    {
        // A projection that throws fails the change it belongs to: the ticket was already written inside the Slack batch's
        // transaction when it threw, and the router answered with an apology; none of that ticket may be stored.
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, services: s => s.AddDomainEventProjection<TicketCreated, ExplodingProjection>());
        var tickets = bot.Services.GetRequiredService<ITickets>();
        using var handled = new HandledCounts(bot.Services.GetRequiredService<IMeterFactory>());

        var sent = Enumerable.Range(0, 12)
            .Select(i => SlackTestBot.CommandAsync(bot, "/ticket", i == 5 ? "explode on filing" : $"Ticket {i}", user: $"U0USER{i}", channel: "C0OPS"))
            .ToList();
        var responses = await Task.WhenAll(sent);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("something went wrong on our side", bodies[5], StringComparison.Ordinal);
        Assert.Empty(tickets.OpenTicketsOf(new UserRef("slack", "U0USER5")));
        for (var i = 0; i < 12; i++)
        {
            if (i != 5)
            {
                Assert.Equal($"Ticket {i}", Assert.Single(tickets.OpenTicketsOf(new UserRef("slack", $"U0USER{i}"))).Summary);
            }
        }

        var posts = await slack.WaitForAsync("chat.postMessage", count: 11);
        Assert.DoesNotContain(posts, p => SlackEndpointTests.Texts(p.Body).Contains("explode", StringComparison.Ordinal));

        // The batch ran again without the failed filing; /metrics counts each request once, as it was answered.
        Assert.Equal(11, handled.Count("command:ticket", "ok"));
        Assert.Equal(1, handled.Count("command:ticket", "error"));
    }

    /// <summary>This host's <c>platformbot.requests</c> counter, by kind and outcome (other hosts in the process are not counted).</summary>
    private sealed class HandledCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public HandledCounts(IMeterFactory host)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "platformbot.requests" && ReferenceEquals(instrument.Meter.Scope, host))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? kind = null, outcome = null;
                foreach (var tag in tags)
                {
                    kind = tag.Key == "kind" ? tag.Value as string : kind;
                    outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
                }

                _counts.AddOrUpdate($"{kind}|{outcome}", value, (_, sum) => sum + value);
            });
            _listener.Start();
        }

        public long Count(string kind, string outcome) => _counts.GetValueOrDefault($"{kind}|{outcome}");

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task WorkThatLeftABatchThatRollsBack_IsNotStartedAgain()
    {
        // /echo waits (as work that calls Slack or an AI service does) while /ticket "explode" fails part-way in the same
        // batches: the batch rolls back and runs again, and each /echo must still have run exactly once.
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack, services: s => s.AddDomainEventProjection<TicketCreated, ExplodingProjection>());
        var feature = bot.Services.GetRequiredService<TestFeature>();
        feature.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var echoes = Enumerable.Range(0, 8).Select(i => SlackTestBot.CommandAsync(bot, "/echo", $"held {i}", channel: "C0OPS")).ToList();
        var failing = Enumerable.Range(0, 4).Select(i => SlackTestBot.CommandAsync(bot, "/ticket", $"explode {i}", user: $"U0BAD{i}", channel: "C0OPS")).ToList();
        var apologies = await Task.WhenAll(failing);
        feature.Hold.SetResult();
        var answered = await Task.WhenAll(echoes);

        Assert.All(apologies, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(answered, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(8, feature.EchoStarts);
        var cards = await slack.WaitForAsync("chat.postMessage", count: 8);
        Assert.Equal(8, cards.Select(c => SlackEndpointTests.Texts(c.Body)).Count(t => t.Contains("held", StringComparison.Ordinal)));
    }

    private sealed class ExplodingProjection : IDomainEventProjection<TicketCreated>
    {
        public void Apply(TicketCreated domainEvent)
        {
            if (domainEvent.Summary.Contains("explode", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The projection failed.");
            }
        }
    }

    [Fact]
    public async Task TicketReactionTwice_FilesOnce_AndTheSecondGetsAlreadyFiledWithALink()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.HistoryText = "Builds are stuck in the queue\nSince 9:00, all runners idle";

        await SlackTestBot.EventAsync(bot, Reaction("U0ALICE"), "Ev0TREACT1");
        var card = (await slack.WaitForAsync("chat.postMessage")).Single();
        var carol = new UserRef("slack", "U0CAROL"); // the message's author: the requester
        await SlackEndpointTests.Eventually(() => bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(carol) is [var filed]
            && bot.Services.GetRequiredService<ICardDirectory>().Find(filed.CardKey).Count == 1);
        await SlackTestBot.EventAsync(bot, Reaction("U0BOB"), "Ev0TREACT2");
        var already = (await slack.WaitForAsync("chat.postEphemeral")).Single();

        var ticket = bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(carol).Single();
        Assert.Equal("Builds are stuck in the queue", ticket.Summary);
        Assert.Equal("1700000700.000001", (string?)card.Body["thread_ts"]); // the card goes under the message it was filed from
        Assert.Equal("U0BOB", (string?)already.Body["user"]);
        Assert.Contains($"already filed as {ticket.Id}", SlackEndpointTests.Texts(already.Body), StringComparison.Ordinal);
        Assert.Contains("https://example.slack.com/archives/C0TREACT/p", already.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task MessageShortcut_OpensTheTicketFormFilledFromTheMessage()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        var shortcut = new JsonObject
        {
            ["type"] = "message_action",
            ["callback_id"] = "ticket.from-message",
            ["trigger_id"] = "trig.msg",
            ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice" },
            ["channel"] = new JsonObject { ["id"] = "C0OPS" },
            ["message"] = new JsonObject { ["ts"] = "1700000800.000001", ["text"] = "Deploys fail with &lt;403&gt;", ["user"] = "U0BOB" },
            ["response_url"] = slack.ResponseUrl("msg").ToString(),
        };

        await SlackTestBot.InteractionAsync(bot, shortcut);
        var view = (await slack.WaitForAsync("views.open")).Single().Body["view"]!;

        Assert.Equal("ticket.form", (string?)view["callback_id"]);
        Assert.Equal("Deploys fail with <403>", (string?)view["blocks"]![0]!["element"]!["initial_value"]);
        Assert.Contains("message:slack:C0OPS:1700000800.000001", (string?)view["private_metadata"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketFormSubmittedWithoutTitle_GetsFieldErrors_ThenFilesOnce()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);

        var refused = await SlackTestBot.AckAsync(await SlackTestBot.InteractionAsync(bot, Submission(string.Empty)));
        var accepted = await SlackTestBot.AckAsync(await SlackTestBot.InteractionAsync(bot, Submission("Cannot pull images")));
        var again = await SlackTestBot.AckAsync(await SlackTestBot.InteractionAsync(bot, Submission("Cannot pull images")));
        await slack.WaitForAsync("chat.postMessage");

        Assert.Equal("errors", (string?)refused!["response_action"]);
        Assert.NotNull(refused["errors"]!["title"]);
        Assert.Null(accepted);
        Assert.Null(again);
        Assert.Single(bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(new UserRef("slack", "U0ALICE")));
    }

    [Fact]
    public async Task AppHome_ShowsTheReadersTicketsAndTheScorecard()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        await SlackTestBot.CommandAsync(bot, "/ticket", "Disk quota on build-01", channel: "C0OPS");

        await SlackTestBot.EventAsync(bot, new JsonObject { ["type"] = "app_home_opened", ["user"] = "U0ALICE", ["tab"] = "home" }, "Ev0THOME");
        var view = SlackEndpointTests.Texts((await slack.WaitForAsync("views.publish")).Single().Body["view"]);

        Assert.Contains("Disk quota on build-01", view, StringComparison.Ordinal);
        Assert.Contains("first response due in", view, StringComparison.Ordinal);
        Assert.Contains("Resolution SLA", view, StringComparison.Ordinal);
        Assert.Contains("NPS", view, StringComparison.Ordinal);
        Assert.Contains("Self-service success", view, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(view, "Platform scorecard")); // one scorecard, the Insights feature's
        Assert.DoesNotContain("not set up yet", view, StringComparison.OrdinalIgnoreCase); // every feature is in the host now
    }

    [Fact]
    public async Task TicketReactionOnAReplyInAThread_FilesTheReply()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.HistoryText = "Deploys to staging hang at 90 %";
        slack.ThreadReplies["1700000700.000001"] = "1700000600.000001";

        await SlackTestBot.EventAsync(bot, Reaction("U0ALICE"), "Ev0TREPLY1");
        var card = (await slack.WaitForAsync("chat.postMessage")).Single();

        var ticket = Assert.Single(bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(new UserRef("slack", "U0CAROL")));
        Assert.Equal("Deploys to staging hang at 90 %", ticket.Summary);
        Assert.Contains(ticket.Id, SlackEndpointTests.Texts(card.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketReactionInAChannelTheBotCannotRead_TellsThePersonWhy_AndFilesNothing()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestBot.StartAsync(slack);
        slack.Script("conversations.history", 200, "{\"ok\":false,\"error\":\"not_in_channel\"}");

        await SlackTestBot.EventAsync(bot, Reaction("U0ALICE"), "Ev0TNOREAD");
        var told = (await slack.WaitForAsync("chat.postEphemeral")).Single();

        Assert.Equal("U0ALICE", (string?)told.Body["user"]);
        Assert.Contains("/invite @PlatformBot", SlackEndpointTests.Texts(told.Body), StringComparison.Ordinal);
        Assert.Empty(bot.Services.GetRequiredService<ITickets>().OpenTicketsOf(new UserRef("slack", "U0CAROL")));
    }

    private static JsonObject Reaction(string user) => new()
    {
        ["type"] = "reaction_added",
        ["user"] = user,
        ["reaction"] = "ticket",
        ["item"] = new JsonObject { ["type"] = "message", ["channel"] = "C0TREACT", ["ts"] = "1700000700.000001" },
        ["event_ts"] = "1700000701.000001",
    };

    private static JsonObject Submission(string title) => new()
    {
        ["type"] = "view_submission",
        ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice" },
        ["trigger_id"] = "trig." + Guid.NewGuid().ToString("N"),
        ["view"] = new JsonObject
        {
            ["id"] = "V0TICKET",
            ["callback_id"] = "ticket.form",
            ["private_metadata"] = "{\"c\":\"C0OPS\",\"s\":\"message:slack:C0OPS:1700000900.000001\"}",
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    ["title"] = new JsonObject { ["title"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = title } },
                    ["priority"] = new JsonObject { ["priority"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = "P3" } } },
                },
            },
        },
    };
}
