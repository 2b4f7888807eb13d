using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Teams;
using PlatformBot.Outbox;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>What a Teams user sees, through /api/messages and the fake connector (authentication off, as with the Playground).</summary>
public sealed class TeamsChannelTests
{
    private static string Encoded(string id) => Uri.EscapeDataString(id);

    [Fact]
    public async Task PersonalMessage_IsAnsweredAsAReplyToIt_WithIdsUrlEncoded()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "help");

        await teams.SendOkAsync(activity);

        var reply = Assert.Single(teams.Connector.Posts);
        Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.PersonalChat)}/activities/{activity["id"]}", reply.Path);
        Assert.Contains("%3A", reply.Path, StringComparison.Ordinal);
        Assert.Contains("%3B", reply.Path, StringComparison.Ordinal);
        Assert.Contains("%40", reply.Path, StringComparison.Ordinal);
        Assert.Contains("%3D", reply.Path, StringComparison.Ordinal);
        Assert.Equal(AdaptiveCardRenderer.Version, (string?)reply.Card!["version"]);
        Assert.Contains("What I can do", reply.CardText, StringComparison.Ordinal);
        Assert.Equal(TeamsFixtures.BotId, (string?)reply.Body!["from"]!["id"]);
    }

    [Theory]
    [InlineData("<at>PlatformBot</at> demo VPN is down")]
    [InlineData("demo VPN is down <at>PlatformBot</at>")]
    [InlineData("demo <at>PlatformBot</at>&nbsp;VPN is down")]
    public async Task ChannelMention_IsStrippedWhereverItStands_AndTheAnswerGoesToTheThread(string text)
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.ChannelMessage(teams.ServiceUrl, text);

        await teams.SendOkAsync(activity);

        var reply = Assert.Single(teams.Connector.Posts);
        Assert.StartsWith($"/connector/v3/conversations/{Encoded("19:general@thread.tacv2;messageid=1700000000050")}/activities/", reply.Path, StringComparison.Ordinal);
        Assert.Contains("D-1 VPN is down", reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelMessage_ThatMentionsSomeoneElse_IsNotForTheBot()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>Dana</at> can you look?");
        activity["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>Dana</at>", ["mentioned"] = new JsonObject { ["id"] = "29:dana", ["name"] = "Dana" } });

        await teams.SendOkAsync(activity);

        Assert.Empty(teams.Connector.Calls);
    }

    [Fact]
    public async Task UserText_StaysLiteralInTheCard()
    {
        await using var teams = await TeamsTestBot.StartAsync();

        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demo **bold** [x](https://evil.example) <at>Bob</at>"));

        var card = Assert.Single(teams.Connector.Posts).Card!.ToJsonString();
        Assert.Contains("\"text\":\"**bold** [x](https://evil.example) Bob\"", card.Replace("\\u003C", "<", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Action.OpenUrl", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActionExecute_ReturnsTheRefreshedCard_AndUpdatesItInPlaceForEveryone()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demo printer jam"));
        var cardId = "msg-1";

        var answer = await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, cardId, "demo.ack"));

        Assert.Equal(200, (int?)answer!["statusCode"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer["type"]);
        Assert.Contains("acknowledged by Alice Example", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
        var update = Assert.Single(teams.Connector.Updates);
        Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.PersonalChat)}/activities/{cardId}", update.Path);
        Assert.Contains("acknowledged", update.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActionSubmitFallback_IsHandledLikeTheButton()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demo printer jam"));

        await teams.SendOkAsync(TeamsFixtures.Load("action-submit", teams.ServiceUrl, replyToId: "msg-1"));

        var update = Assert.Single(teams.Connector.Updates);
        Assert.EndsWith("/activities/msg-1", update.Path, StringComparison.Ordinal);
        Assert.Contains("acknowledged by Alice Example", update.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateAnswerToAClick_IsANoteUnderTheCard_NotAMessage()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demo printer jam"));

        var answer = await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, "msg-1", "demo.secret"));

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)answer!["type"]);
        Assert.Equal("Details of D-1 are private.", (string?)answer["value"]);
        Assert.Single(teams.Connector.Calls);
    }

    [Fact]
    public async Task PrivateAnswerThatReplacesTheCard_ReplacesItForTheClickerOnly()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demo printer jam"));

        var answer = await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, "msg-1", "demo.mine"));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer!["type"]);
        Assert.Equal("Only your view of D-1 changed.", ConnectorCall.TextOf(answer["value"]));
        Assert.Empty(teams.Connector.Updates);
    }

    [Fact]
    public async Task FormSubmission_WithAnError_ShowsTheFormAgainWithTheErrorUnderTheField()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demoform"));
        var form = Assert.Single(teams.Connector.Posts).Card!;
        var submit = form["body"]!.AsArray().Last()!["actions"]![0]!;
        var data = submit["data"]!.DeepClone().AsObject();
        data["summary"] = "vpn";

        var answer = await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, "msg-1", (string)submit["verb"]!, data));

        var card = answer!["value"]!.AsObject();
        var body = card["body"]!.AsArray();
        var input = body.First(e => (string?)e!["id"] == "summary")!;
        Assert.Equal("vpn", (string?)input["value"]);
        var error = body[body.IndexOf(input) + 1]!;
        Assert.Equal("attention", (string?)error["inlines"]![0]!["color"]);
        Assert.Contains("5 characters", (string?)error["inlines"]![0]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormSubmission_ThatIsValid_CarriesItsValuesAndState()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "demoform"));
        var submit = Assert.Single(teams.Connector.Posts).Card!["body"]!.AsArray().Last()!["actions"]![0]!;
        var data = submit["data"]!.DeepClone().AsObject();
        data["summary"] = "VPN drops every hour";

        await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, "msg-1", (string)submit["verb"]!, data));

        Assert.Contains("Filed: VPN drops every hour (from-test)", teams.Connector.Posts.Last().CardText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("composeExtension/query", 501)]
    [InlineData("adaptiveCard/action", 400)]
    public async Task InvokeWeDoNotServe_IsAnsweredWithoutSideEffects(string name, int status)
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.Execute(teams.ServiceUrl, "msg-1", "demo.ack");
        activity["name"] = name;
        activity["value"] = new JsonObject { ["query"] = "x" };

        using var response = await teams.SendAsync(activity);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(teams.Connector.Calls);
    }

    [Fact]
    public async Task Install_IsWelcomedOnce_ThoughTeamsAnnouncesItTwice()
    {
        await using var teams = await TeamsTestBot.StartAsync();

        await teams.SendOkAsync(TeamsFixtures.Load("installation-update-add", teams.ServiceUrl));
        await teams.SendOkAsync(TeamsFixtures.Load("conversation-update-members-added", teams.ServiceUrl));

        var welcome = Assert.Single(teams.Connector.Posts);
        Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.PersonalChat)}/activities", welcome.Path);
        Assert.Contains("I'm PlatformBot", welcome.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallInATeam_ByAnAdmin_WelcomesTheChannelWithWhatEveryoneMayDo_NotTheAdminCommands()
    {
        await using var teams = await TeamsTestBot.StartAsync(new Dictionary<string, string?> { ["Team:Admins:0"] = "teams:" + TeamsFixtures.Alice });
        var install = TeamsFixtures.Load("installation-update-add", teams.ServiceUrl);
        install["conversation"] = new JsonObject { ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "00000000-0000-0000-0000-0000000000aa", ["id"] = TeamsFixtures.Channel };

        await teams.SendOkAsync(install);

        var welcome = Assert.Single(teams.Connector.Posts);
        Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.Channel)}/activities", welcome.Path);
        Assert.Contains("/ticket", welcome.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain("/platform", welcome.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinstall_AfterRemoval_IsWelcomedAgain()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Load("installation-update-add", teams.ServiceUrl));
        var remove = TeamsFixtures.Load("installation-update-add", teams.ServiceUrl);
        remove["action"] = "remove";

        await teams.SendOkAsync(remove);
        await teams.SendOkAsync(TeamsFixtures.Load("installation-update-add", teams.ServiceUrl));

        Assert.Equal(2, teams.Connector.Posts.Count());
    }

    /// <summary>An activity type we do not handle is acknowledged; another channel of the bot resource is refused (also with authentication off).</summary>
    [Theory]
    [InlineData("type", "messageReaction", 200)]
    [InlineData("channelId", "webchat", 403)]
    public async Task ActivityWeDoNotServe_IsAnsweredWithoutSideEffects(string field, string value, int status)
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "help");
        activity[field] = value;

        using var response = await teams.SendAsync(activity);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(teams.Connector.Calls);
    }

    [Theory]
    [InlineData("{\"type\":\"message\"", 400)]
    [InlineData("{\"text\":\"no type\"}", 400)]
    [InlineData("[1]", 400)]
    [InlineData("{\"type\":\"message\",\"text\":\"help\",\"serviceUrl\":\"http://127.0.0.1:9/\",\"from\":{\"id\":\"29:x\"}}", 400)]
    public async Task MalformedActivity_IsRefused(string body, int status)
    {
        await using var teams = await TeamsTestBot.StartAsync();

        using var response = await teams.Bot.Http.PostAsync(TeamsChannel.Endpoint, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task WithAuthenticationOff_AServiceUrlOffThisMachine_IsRefused_AndNeverCalled()
    {
        await using var teams = await TeamsTestBot.StartAsync();

        using var response = await teams.SendAsync(TeamsFixtures.Message("https://smba.trafficmanager.net/emea/", "help"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(teams.Service<TeamsConversationStore>().IsTrusted("https://smba.trafficmanager.net/emea/"));
    }

    [Fact]
    public async Task SameActivityDeliveredTwice_IsAnsweredOnce()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "help");

        await teams.SendOkAsync(activity);
        await teams.SendOkAsync(activity);

        Assert.Single(teams.Connector.Posts);
    }

    [Fact]
    public async Task SlowAnswer_WhenTheCallerHangsUpFirst_StillReachesTheConversation_Once()
    {
        await using var teams = await TeamsTestBot.StartAsync(services: s => s.AddHttpContextAccessor().AddSingleton<OutlastsTheCaller.Progress>()
            .AddCommand<OutlastsTheCaller>("slow", "Answers after the caller gave up", "`slow`"));
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "slow");
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, TeamsChannel.Endpoint) { Content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        var call = teams.Bot.Http.SendAsync(request, caller.Token);

        await teams.Service<OutlastsTheCaller.Progress>().Started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await teams.Connector.WaitForAsync(calls => calls.Any(c => c.CardText.Contains("Worth the wait", StringComparison.Ordinal)));
        await teams.SendOkAsync(activity);

        var reply = Assert.Single(teams.Connector.Posts);
        Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.PersonalChat)}/activities/{activity["id"]}", reply.Path);
    }

    /// <summary>Answers only once the caller has hung up, as a slow answer does when Teams stops waiting.</summary>
    private sealed class OutlastsTheCaller(Microsoft.AspNetCore.Http.IHttpContextAccessor http, OutlastsTheCaller.Progress progress) : ICommandHandler
    {

        public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
        {
            var hungUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (http.HttpContext!.RequestAborted.Register(() => hungUp.TrySetResult()))
            {
                progress.Started.TrySetResult();
                await hungUp.Task;
            }

            cancellationToken.ThrowIfCancellationRequested(); // the work goes on only while its token says so
            return Reply.Text(Md.Text($"Worth the wait"));
        }

        public sealed class Progress
        {
            public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    [Fact]
    public async Task PrivateAnswerInAChannel_GoesToAOneOnOneChat_OpenedOnDemand()
    {
        await using var teams = await TeamsTestBot.StartAsync();

        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> whisper my laptop serial"));

        var created = Assert.Single(teams.Connector.CreatedConversations);
        Assert.Equal(TeamsFixtures.Bob, (string?)created.Body!["members"]![0]!["id"]);
        Assert.Equal("00000000-0000-0000-0000-0000000000aa", (string?)created.Body["tenantId"]);
        Assert.Equal("00000000-0000-0000-0000-0000000000aa", (string?)created.Body["channelData"]!["tenant"]!["id"]);
        var dm = Assert.Single(teams.Connector.Posts);
        Assert.Equal($"/connector/v3/conversations/{Encoded("a:dm-" + TeamsFixtures.Bob)}/activities", dm.Path);
        Assert.Contains("Only you see: my laptop serial", dm.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateAnswerInAChannel_WhenTheDirectChatIsThrottled_ArrivesInTheDirectChatLater_NeverInTheChannel()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        teams.Connector.FailNext(429);

        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> whisper my laptop serial"));
        teams.Bot.Time.Advance(TimeSpan.FromSeconds(5));
        await teams.Bot.DeliverOutboxAsync();

        var answer = Assert.Single(teams.Connector.Posts, p => p.CardText.Contains("my laptop serial", StringComparison.Ordinal));
        Assert.Equal($"/connector/v3/conversations/{Encoded("a:dm-" + TeamsFixtures.Bob)}/activities", answer.Path);
        Assert.DoesNotContain(teams.Connector.Posts, p => p.Path.Contains(Encoded(TeamsFixtures.Channel), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateAnswerInAChannel_WhenNoDirectChatCanBeOpened_LeavesANoteInTheThread_WithoutTheAnswer()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        teams.Connector.FailNext(403);

        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> whisper my laptop serial"));
        await teams.Bot.DeliverOutboxAsync();

        var note = Assert.Single(teams.Connector.Posts);
        Assert.StartsWith($"/connector/v3/conversations/{Encoded("19:general@thread.tacv2;messageid=1700000000050")}/activities/", note.Path, StringComparison.Ordinal);
        Assert.Contains("couldn't send you a private message", note.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain("my laptop serial", note.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxDirectMessages_ToAPerson_OpenTheChatOnce()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> demo printer jam"));
        var outbox = teams.Service<IOutbox>();
        var bob = new UserRef(PlatformBot.Conversations.Channels.Teams, TeamsFixtures.Bob);

        outbox.Enqueue(new OutboundMessage("ping-1", new ToUser(bob), Reply.Text(Md.Text($"First ping"))));
        outbox.Enqueue(new OutboundMessage("ping-2", new ToUser(bob), Reply.Text(Md.Text($"Second ping"))));
        await teams.Bot.DeliverOutboxAsync();

        Assert.Single(teams.Connector.CreatedConversations);
        var dms = teams.Connector.Posts.Where(p => p.Path.Contains(Encoded("a:dm-" + TeamsFixtures.Bob), StringComparison.Ordinal)).ToList();
        Assert.Equal(["First ping", "Second ping"], dms.Select(d => d.CardText));
    }

    [Fact]
    public async Task CardChange_FromTheOutbox_IsPutInPlace()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> demo printer jam"));

        teams.Service<IOutbox>().Enqueue(new OutboundMessage("demo-changed", new UpdateCard("demo:D-1"), DemoFeature.Card("printer jam", "resolved")));
        await teams.Bot.DeliverOutboxAsync();

        var update = Assert.Single(teams.Connector.Updates);
        Assert.Equal($"/connector/v3/conversations/{Encoded("19:general@thread.tacv2;messageid=1700000000050")}/activities/msg-1", update.Path);
        Assert.Contains("resolved", update.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageForACardsThread_IsPostedInThatChannelThread()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> demo printer jam"));

        teams.Service<IOutbox>().Enqueue(new OutboundMessage("demo-note", new ToCardThread("demo:D-1"), Reply.Text(Md.Text($"A note for the thread"))));
        await teams.Bot.DeliverOutboxAsync();

        var note = teams.Connector.Posts.Last();
        Assert.Equal($"/connector/v3/conversations/{Encoded("19:general@thread.tacv2;messageid=1700000000050")}/activities", note.Path);
    }

    [Fact]
    public async Task ThrottledAnswer_GoesToTheOutbox_AndIsDeliveredExactlyOnce()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        teams.Connector.FailNext(429);

        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"));
        teams.Bot.Time.Advance(TimeSpan.FromSeconds(5));
        await teams.Bot.DeliverOutboxAsync();
        teams.Bot.Time.Advance(TimeSpan.FromMinutes(5));
        await teams.Bot.DeliverOutboxAsync();

        Assert.Equal(2, teams.Connector.Posts.Count());
        Assert.Contains("What I can do", teams.Connector.Posts.Last().CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedBot_IsADeadLetter_NotARetryLoop()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"));
        teams.Connector.FailNext(403);
        var outbox = teams.Service<LiteDbOutbox>();

        outbox.Enqueue(new OutboundMessage("blocked", new ToConversation(new ConversationAddress(PlatformBot.Conversations.Channels.Teams, TeamsFixtures.PersonalChat, IsDirect: true)), Reply.Text(Md.Text($"hi"))));
        await teams.Bot.DeliverOutboxAsync();

        var row = outbox.Get("blocked")!;
        Assert.Equal(OutboxStatus.DeadLetter, row.Status);
        Assert.Contains("MessageWritesBlocked", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationTheBotNeverHeardFrom_IsNeverCalled()
    {
        await using var teams = await TeamsTestBot.StartAsync();
        var outbox = teams.Service<LiteDbOutbox>();

        outbox.Enqueue(new OutboundMessage("stranger", new ToConversation(new ConversationAddress(PlatformBot.Conversations.Channels.Teams, "19:unknown@thread.tacv2")), Reply.Text(Md.Text($"hi"))));
        await teams.Bot.DeliverOutboxAsync();

        Assert.Equal(OutboxStatus.DeadLetter, outbox.Get("stranger")!.Status);
        Assert.Empty(teams.Connector.Calls);
    }

    [Fact]
    public async Task ConversationReferences_SurviveARestart()
    {
        var connector = await FakeConnector.StartAsync();
        await using (connector)
        {
            var data = TempFolder.Create();
            await using (var first = await TestBot.StartAsync(dataDirectory: data))
            {
                using var response = await first.Http.PostAsync(TeamsChannel.Endpoint, new StringContent(TeamsFixtures.Message(connector.ServiceUrl, "help").ToJsonString(), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
                response.EnsureSuccessStatusCode();
            }

            await using var second = await TestBot.StartAsync(dataDirectory: data);
            second.Services.GetRequiredService<IOutbox>().Enqueue(new OutboundMessage("after-restart", new ToUser(new UserRef(PlatformBot.Conversations.Channels.Teams, TeamsFixtures.Alice)), Reply.Text(Md.Text($"Still here"))));
            await second.DeliverOutboxAsync();

            Assert.Equal($"/connector/v3/conversations/{Encoded(TeamsFixtures.PersonalChat)}/activities", connector.Posts.Last().Path);
            Assert.Empty(connector.CreatedConversations);
        }
    }
}
