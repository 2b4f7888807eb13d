using System.Text.Json.Nodes;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Teams;
using PlatformBot.Outbox;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>Every card the bot sends to Teams is a valid Adaptive Card 1.5 (tests/schemas/adaptive-cards/1.5.0).</summary>
public sealed class AdaptiveCardSchemaTests
{
    private static JsonObject Card(Reply reply, string? publicBaseUrl = null) => AdaptiveCardRenderer.Card(reply, publicBaseUrl).ToNode()!.AsObject();

    private static async Task AssertValidAsync(IEnumerable<(string Source, JsonObject Card)> cards)
    {
        var schema = await SchemaFiles.AdaptiveCardAsync();
        var failures = cards
            .Select(c => (c.Source, Errors: SchemaFiles.Errors(schema, c.Card.ToJsonString())))
            .Where(c => c.Errors.Count > 0)
            .Select(c => $"{c.Source}: {string.Join(", ", c.Errors.Take(5))}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryBlockElementAndFormFieldKind_RendersAValidCard()
    {
        await AssertValidAsync(
        [
            ("every block", Card(CardCatalog.EveryBlock())),
            ("every block, public base URL", Card(CardCatalog.EveryBlock(), "https://bot.example.com")),
            ("every form field", Card(CardCatalog.EveryFormField())),
            ("shortened", Card(CardCatalog.Huge())),
            ("empty", Card(new Reply { Summary = "nothing" })),
        ]);
    }

    [Fact]
    public async Task SchemaCheck_CatchesAnInvalidCard()
    {
        var schema = await SchemaFiles.AdaptiveCardAsync();
        var card = Card(Reply.Text(Md.Text($"hi")));
        card["body"]![0]!["inlines"]![0]!["weight"] = "heaviest";
        card["msteams"] = new JsonObject();

        Assert.NotEmpty(SchemaFiles.Errors(schema, card.ToJsonString()));
    }

    /// <summary>
    /// Drives the real bot through Teams: install, every registered command bare, with <c>help</c> and asked about, as a
    /// requester, an agent and an admin, in a personal chat and a channel; card clicks, a form and its errors, the admin's
    /// dead-letter list. Every card that reached the connector, and every card in an invoke response, must be valid.
    /// </summary>
    [Fact]
    public async Task EveryCardTheBotSends_IsValid()
    {
        await using var teams = await TeamsTestBot.StartAsync(new Dictionary<string, string?>
        {
            ["Team:Admins:0"] = "teams:" + TeamsFixtures.Alice,
            ["Team:Agents:0"] = "teams:29:1carol-aad",
        });
        var invokeCards = new List<(string, JsonObject)>();
        await teams.SendOkAsync(TeamsFixtures.Load("installation-update-add", teams.ServiceUrl));
        teams.Service<IOutbox>().Enqueue(new OutboundMessage("dead", new ToConversation(new ConversationAddress(PlatformBot.Conversations.Channels.Teams, "19:nowhere")), Reply.Text(Md.Text($"lost"))));
        await teams.Bot.DeliverOutboxAsync();
        var commands = teams.Service<RouteTable>().Commands.Keys.Append(BotRouter.HelpCommand).ToList();
        var texts = commands.SelectMany(c => new[] { c, $"{c} help", $"help {c}", $"{c} something unexpected" })
            .Concat(["frobnicate", "hello there", new string('x', 4100), "demoform", "whisper psst"]);
        foreach (var user in new[] { TeamsFixtures.Alice, "29:1carol-aad", TeamsFixtures.Bob })
        {
            foreach (var text in texts)
            {
                var personal = TeamsFixtures.Message(teams.ServiceUrl, text);
                personal["from"]!["id"] = user;
                await teams.SendOkAsync(personal);
                await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> " + text, user));
            }
        }

        // Every button and form on every card sent so far, clicked (forms submitted empty, then filled in) by the admin.
        var clicked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in teams.Connector.Calls.Where(c => c.Card is not null && c.Method == "POST").ToList())
        {
            var messageId = call.Path.Split('/')[^1];
            foreach (var action in Actions(call.Card!).Where(a => clicked.Add((string)a["verb"]!)))
            {
                var data = action["data"]!.DeepClone().AsObject();
                var tries = action["associatedInputs"] is null ? [data] : new[] { data, Filled(call.Card!, data) };
                foreach (var attempt in tries)
                {
                    var answer = await teams.SendOkAsync(TeamsFixtures.Execute(teams.ServiceUrl, messageId, (string)action["verb"]!, attempt));
                    if ((string?)answer?["type"] == Attachment.AdaptiveCard)
                    {
                        invokeCards.Add(("invoke " + action["verb"], answer!["value"]!.AsObject()));
                    }
                }
            }
        }

        var sent = teams.Connector.Calls.Where(c => c.Card is not null).Select(c => ($"{c.Method} {c.CardText[..Math.Min(60, c.CardText.Length)]}", c.Card!)).ToList();
        Assert.True(sent.Count > commands.Count * 6, $"only {sent.Count} cards were sent");
        Assert.Contains(sent, c => c.Item1.Contains("dead letter", StringComparison.OrdinalIgnoreCase) || c.Item2.ToJsonString().Contains("platform.outbox.replay", StringComparison.Ordinal));
        Assert.NotEmpty(invokeCards);
        Assert.Contains("ticket.ack", clicked);
        Assert.Contains("ticket.form", clicked);
        await AssertValidAsync(sent.Concat(invokeCards));
    }

    private static IEnumerable<JsonObject> Actions(JsonObject card) =>
        card["body"]!.AsArray().Where(e => (string?)e!["type"] == "ActionSet").SelectMany(e => e!["actions"]!.AsArray()).Select(a => a!.AsObject());

    /// <summary>The action's data with every input of the card given a plausible value (text, or the first choice).</summary>
    private static JsonObject Filled(JsonObject card, JsonObject data)
    {
        var filled = data.DeepClone().AsObject();
        foreach (var input in card["body"]!.AsArray().Select(e => e!.AsObject()).Where(e => ((string?)e["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true))
        {
            filled[(string)input["id"]!] = (string?)input["type"] == "Input.ChoiceSet"
                ? (string?)input["choices"]![0]!["value"]
                : "Printer on floor 3 prints blank pages";
        }

        return filled;
    }
}
