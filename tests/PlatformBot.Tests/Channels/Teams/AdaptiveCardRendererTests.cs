using System.Text.Json;
using System.Text.Json.Nodes;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Teams;

namespace PlatformBot.Tests.Channels.Teams;

public sealed class AdaptiveCardRendererTests
{
    /// <summary>The card as the renderer wrote it, parsed.</summary>
    private static JsonObject Card(Reply reply, string? publicBaseUrl = null) => AdaptiveCardRenderer.Card(reply, publicBaseUrl).ToNode()!.AsObject();

    private static IEnumerable<JsonObject> Elements(JsonObject card) => card["body"]!.AsArray().Select(e => e!.AsObject());

    private static IEnumerable<JsonObject> Runs(JsonObject card) =>
        Elements(card).Where(e => (string?)e["type"] == "RichTextBlock").SelectMany(e => e["inlines"]!.AsArray().Select(i => i!.AsObject()));

    [Fact]
    public void UserText_IsATextRun_NeverMarkdown()
    {
        var card = Card(CardCatalog.EveryBlock());

        var header = Runs(card).Where(r => (string?)r["size"] == "medium").ToList();
        Assert.Equal(["PLAT-7", " ", "VPN <b>drops</b> *often*"], header.Select(r => (string?)r["text"]));
        Assert.DoesNotContain(Elements(card), e => (string?)e["type"] == "TextBlock");
        Assert.DoesNotContain(Runs(card), r => ((string?)r["text"])!.Contains("](", StringComparison.Ordinal) && r["selectAction"] is not null);
    }

    [Fact]
    public void OurMarkup_BecomesRunStyles_AndSafeLinks()
    {
        var card = Card(CardCatalog.EveryBlock());
        var runs = Runs(card).ToDictionary(r => (string)r["text"]!, r => r);

        Assert.Equal("bolder", (string?)runs["PLAT-7"]["weight"]);
        Assert.True((bool?)runs["italic"]["italic"]);
        Assert.Equal("monospace", (string?)runs["code"]["fontType"]);
        Assert.Equal("https://platform.example/docs", (string?)runs["a link"]["selectAction"]!["url"]);
        Assert.Null(runs["a user: [x](javascript:alert(1))"]["selectAction"]);
    }

    [Fact]
    public void LineBreaks_StartNewBlocks_AndADividerSeparatesWhatFollows()
    {
        var card = Card(CardCatalog.EveryBlock());
        var elements = Elements(card).ToList();

        Assert.Contains(elements, e => e["inlines"]?[0]?["text"]?.GetValue<string>() == "line two by ");
        var image = elements.First(e => (string?)e["type"] == "Image");
        Assert.True((bool?)image["separator"]);
        Assert.Equal("https://platform.example/chart.png", (string?)image["url"]);
    }

    [Fact]
    public void Divider_SeparatesTheFirstElementAfterIt_WhateverItIs()
    {
        var fields = Elements(Card(Reply.OfBlocks(new TextBlock(Md.Text($"a")), new DividerBlock(), new SectionBlock(null, [new Field("F", Md.Text($"1")), new Field("G", Md.Text($"2"))])))).ToList();
        var select = Elements(Card(Reply.OfBlocks(new DividerBlock(), new ActionsBlock([new Button("a.b", "B", "1"), new Select("a.s", "S", [new Option("o", "1")])])))).ToList();

        Assert.Equal([(null, null), (true, "medium"), (null, "none")], fields.Select(e => ((bool?)e["separator"], (string?)e["spacing"])));
        Assert.Equal([("Input.ChoiceSet", true, "medium"), ("ActionSet", null, null)], select.Select(e => ((string?)e["type"], (bool?)e["separator"], (string?)e["spacing"])));
    }

    [Fact]
    public void ACard_IsTheSame_WhateverWasRenderedBeforeIt()
    {
        var first = AdaptiveCardRenderer.Card(CardCatalog.EveryBlock()).ToString();
        _ = AdaptiveCardRenderer.Card(CardCatalog.Huge());
        _ = AdaptiveCardRenderer.Card(CardCatalog.EveryFormField());

        Assert.Equal(first, AdaptiveCardRenderer.Card(CardCatalog.EveryBlock()).ToString());
    }

    [Fact]
    public void RelativeImage_WithoutAPublicBaseUrl_IsItsAltText_AndWithOne_AnAbsoluteUrl()
    {
        var without = Card(CardCatalog.EveryBlock());
        var with = Card(CardCatalog.EveryBlock(), "https://bot.example.com/");

        Assert.Contains(Runs(without), r => (string?)r["text"] == "[image: relative chart]");
        Assert.Contains(Elements(with), e => (string?)e["url"] == "https://bot.example.com/charts/sla.png");
    }

    [Fact]
    public void Buttons_AreActionExecute_WithAnActionSubmitFallbackCarryingTheSameData()
    {
        var card = Card(CardCatalog.EveryBlock());
        var actions = Elements(card).Single(e => (string?)e["type"] == "ActionSet")["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();

        var ack = actions[0];
        Assert.Equal("Action.Execute", (string?)ack["type"]);
        Assert.Equal("demo.ack", (string?)ack["verb"]);
        Assert.Equal("positive", (string?)ack["style"]);
        Assert.Equal("destructive", (string?)actions[1]["style"]);
        Assert.Null(actions[2]["style"]);
        Assert.Equal("Action.Submit", (string?)ack["fallback"]!["type"]);
        Assert.True(JsonNode.DeepEquals(ack["data"], ack["fallback"]!["data"]));
        Assert.Equal("PLAT-7", (string?)ack["data"]!["platformbot"]!["value"]);
    }

    [Fact]
    public void ManyButtons_AreRowsOfSix_SoTeamsHidesNoneBehindAnOverflowMenu()
    {
        var scale = new ActionsBlock([.. Enumerable.Range(0, 11).Select(n => (ActionElement)new Button("survey.answer", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "v" + n))]);

        var card = Card(Reply.OfBlocks(scale));

        var rows = Elements(card).Where(e => (string?)e["type"] == "ActionSet").Select(e => e["actions"]!.AsArray().Select(a => (string?)a!["title"]).ToList()).ToList();
        Assert.Equal([["0", "1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]], rows);
    }

    [Fact]
    public void Select_IsAChoiceSetAndAnApplyButton_WhoseChoiceComesBackAsTheValue()
    {
        var card = Card(CardCatalog.EveryBlock());
        var choice = Elements(card).Single(e => (string?)e["type"] == "Input.ChoiceSet");
        var apply = Elements(card).Single(e => (string?)e["type"] == "ActionSet")["actions"]!.AsArray().Last()!;
        var clicked = apply["data"]!.DeepClone().AsObject();
        clicked[(string)choice["id"]!] = "dana";

        var action = AdaptiveCardRenderer.ReadAction(JsonSerializer.SerializeToElement(clicked), (string?)apply["verb"]);

        Assert.Equal("omar", (string?)choice["value"]);
        Assert.Equal(("demo.assign", "dana"), (action!.ActionId, action.Value));
        Assert.Empty(action.Values);
    }

    [Fact]
    public void Form_HasItsInputs_ItsErrorsUnderTheFields_AndCarriesItsState()
    {
        var card = Card(CardCatalog.EveryFormField());
        var elements = Elements(card).ToList();

        var summary = elements.Single(e => (string?)e["id"] == "summary");
        Assert.Equal(("Input.Text", true, 150, "VPN"), ((string?)summary["type"], (bool?)summary["isRequired"], (int?)summary["maxLength"], (string?)summary["value"]));
        Assert.True((bool?)elements.Single(e => (string?)e["id"] == "details")["isMultiline"]);
        Assert.Equal("p2", (string?)elements.Single(e => (string?)e["id"] == "priority")["value"]);
        Assert.Equal("Too short.", (string?)elements[elements.IndexOf(summary) + 1]["inlines"]![0]!["text"]);
        Assert.Contains(Runs(card), r => (string?)r["text"] == "Something about the whole form." && (string?)r["color"] == "attention");
        var submit = elements.Last()["actions"]![0]!;
        Assert.Equal(("File it", "auto"), ((string?)submit["title"], (string?)submit["associatedInputs"]));
    }

    [Fact]
    public void FormSubmission_ReadsBack_ValuesStateAndId()
    {
        var submit = Elements(Card(CardCatalog.EveryFormField())).Last()["actions"]![0]!;
        var data = submit["data"]!.DeepClone().AsObject();
        data["summary"] = "VPN drops";
        data["priority"] = "p1";

        var action = AdaptiveCardRenderer.ReadAction(JsonSerializer.SerializeToElement(data), "demo.form")!;

        Assert.True(action.IsFormSubmission);
        Assert.Equal("demo.form", action.ActionId);
        Assert.Equal("{\"thread\":\"1700\"}", action.State);
        Assert.Equal("VPN drops", action.Values["summary"]);
        Assert.Equal("p1", action.Values["priority"]);
    }

    [Fact]
    public void Mention_PingsThroughTheMessagesEntities_AndShowsBoldInTheCard()
    {
        var activity = AdaptiveCardRenderer.Message(CardCatalog.EveryBlock());
        var card = activity.Attachments![0].Content!.ToNode()!.AsObject();

        var entity = Assert.Single(activity.Entities!);
        Assert.Equal(("mention", "<at>Dana Ops</at>", "29:1dana-aad"), (entity.Type, entity.Text, entity.Mentioned!.Id));
        Assert.Equal("<at>Dana Ops</at>", activity.Text);
        Assert.Contains(Runs(card), r => (string?)r["text"] == "@Dana <Ops>" && (string?)r["weight"] == "bolder");
    }

    [Fact]
    public void TooBigReply_IsShortenedToFitTeams_AndSaysSo()
    {
        var json = AdaptiveCardRenderer.Card(CardCatalog.Huge());
        var card = json.ToNode()!.AsObject();

        Assert.True(json.Length <= AdaptiveCardRenderer.MaxCardBytes);
        Assert.Equal(json.Length, System.Text.Encoding.UTF8.GetByteCount(card.ToJsonString()));
        Assert.Contains(Runs(card), r => ((string?)r["text"])!.StartsWith("This message was shortened to fit Teams: ", StringComparison.Ordinal));
        var kept = Runs(card).Count(r => (string?)r["text"] == "Dead letter ");
        Assert.InRange(kept, 10, 59);
    }

    [Fact]
    public void Activity_CarriesTheCardAndAPlainSummary()
    {
        var activity = AdaptiveCardRenderer.Message(Reply.Text(Md.Text($"Hello {"<you>"}")));

        Assert.Equal("message", activity.Type);
        Assert.Equal("Hello <you>", activity.Summary);
        Assert.Equal(Attachment.AdaptiveCard, activity.Attachments![0].ContentType);
        Assert.Null(activity.Text);
    }

    [Fact]
    public void ConnectorBody_CarriesTheCardsBytes_AsTheRendererWroteThem()
    {
        var reply = CardCatalog.EveryBlock();
        var card = AdaptiveCardRenderer.Card(reply).ToString();

        var body = System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(AdaptiveCardRenderer.Message(reply), TeamsJson.Default.Activity));

        Assert.Contains("\"content\":" + card + "}]", body, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(card), JsonNode.Parse(body)!["attachments"]![0]!["content"]));
    }

    [Fact]
    public void InboundAttachments_AreRead_WhateverTheirContent()
    {
        var activity = JsonSerializer.Deserialize(
            """{"type":"message","attachments":[{"contentType":"text/html","content":"<p>hi</p>"},{"contentType":"x","content":{"a":[1, true]}},{"contentType":"y","content":null},{"contentType":"z"}]}""",
            TeamsJson.Default.Activity)!;

        Assert.Equal(["\"<p>hi</p>\"", "{\"a\":[1, true]}", null, null], activity.Attachments!.Select(a => a.Content?.ToString()));
    }
}
