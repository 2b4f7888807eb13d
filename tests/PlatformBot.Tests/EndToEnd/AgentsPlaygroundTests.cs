using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PlatformBot.Tests.Channels.Teams;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.EndToEnd;

/// <summary>
/// The real host (Teams channel, authentication off, as for any local client) driven by Microsoft 365 Agents Playground, a
/// Teams-like client nobody here wrote: its welcome on install, a message, <c>ticket …</c> answered with the ticket card, and
/// a click on the card's Acknowledge (Action.Execute, answered in the invoke response with the refreshed card). The
/// playground's user is an admin here (acknowledging and sending surveys are the platform team's), who then sends a survey
/// to himself: its card arrives as a direct message, a score is clicked and a comment is written in the form and saved.
/// Skips with the reason when Node or Chromium are missing; CI installs them and then a skip fails the run.
/// </summary>
public sealed class AgentsPlaygroundTests
{
    private const string Welcome = "Hello! I'm PlatformBot";

    private const string Survey = "Playground pulse";

    /// <summary>The playground's own user (its default configuration) is an admin, and the one person a small survey asks.</summary>
    private static Task<TestBot> StartBotAsync() => TestBot.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Team:Admins:0"] = "teams:user-id-0",
        ["Surveys:QuietHours:Enabled"] = "false",
        ["Surveys:Definitions:e2e:Title"] = Survey,
        ["Surveys:Definitions:e2e:Questions:0:Kind"] = "nps",
        ["Surveys:Definitions:e2e:Questions:0:Text"] = "How likely are you to recommend the platform?",
        ["Surveys:Definitions:e2e:Questions:1:Kind"] = "text",
        ["Surveys:Definitions:e2e:Questions:1:Text"] = "What should we fix next?",
        ["Surveys:Definitions:e2e:Audience:Users:0"] = "teams:user-id-0",
        ["Surveys:Definitions:e2e:OpenFor"] = "1.00:00:00",
        ["Surveys:Definitions:e2e:Anonymous"] = "false",
    });

    /// <summary>The bot's clock is a FakeTimeProvider: let a little time pass so the outbox's rate limit has room, and deliver.</summary>
    private static async Task DeliverOutboxAsync(TestBot bot)
    {
        bot.Time.Advance(TimeSpan.FromSeconds(2));
        await bot.DeliverOutboxAsync();
    }

    private static IEnumerable<JsonNode> Actions(JsonNode card) =>
        card["body"]!.AsArray().Where(e => (string?)e!["type"] == "ActionSet").SelectMany(e => e!["actions"]!.AsArray()).Select(a => a!);

    private static JsonObject Execute(string user, string chat, string cardId, JsonNode action, Action<JsonObject>? inputs = null)
    {
        var data = action["data"]!.DeepClone().AsObject();
        inputs?.Invoke(data);
        return new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["from"] = new JsonObject { ["id"] = user },
            ["conversation"] = new JsonObject { ["id"] = chat },
            ["replyToId"] = cardId,
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = action["verb"]!.DeepClone(), ["data"] = data } },
        };
    }

    private static string Endpoint(TestBot bot) => new Uri(bot.Http.BaseAddress!, "api/messages").AbsoluteUri;

    private static string CardJson(JsonNode frame) => ConnectorCall.TextOf(frame["message"]?["attachments"]?[0]?["content"]);

    [Fact]
    public async Task WelcomeMessageTicketAcknowledgeAndSurvey_ThroughThePlaygroundsApi()
    {
        await using var bot = await StartBotAsync();
        await using var playground = await AgentsPlayground.StartAsync(Endpoint(bot));
        await using var stream = await playground.OpenStreamAsync();
        var (chat, user, userName) = await playground.ConfigAsync();

        await playground.PostAsync($"_debug/conversation/{Uri.EscapeDataString(chat)}/installation", []);
        await stream.WaitForAsync(f => CardJson(f).Contains(Welcome, StringComparison.Ordinal), "the welcome card");

        await playground.PostAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(chat)}/messages", new JsonObject { ["from"] = new JsonObject { ["id"] = user }, ["text"] = "hello there", ["textFormat"] = "plain" });
        // A question: the knowledge base (empty here) answers that it has no answer, and offers a ticket.
        await stream.WaitForAsync(f => CardJson(f).Contains("I have no good answer to hello there", StringComparison.Ordinal), "the answer to a message");

        await playground.PostAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(chat)}/messages", new JsonObject { ["from"] = new JsonObject { ["id"] = user }, ["text"] = "ticket VPN drops every hour on floor 3", ["textFormat"] = "plain" });
        var card = await stream.WaitForAsync(f => (string?)f["action"] == "createMessage" && CardJson(f).Contains("PLAT-1: VPN drops every hour on floor 3", StringComparison.Ordinal), "the ticket card");
        var cardId = (string)card["message"]!["messageId"]!;
        var acknowledge = card["message"]!["attachments"]![0]!["content"]!["body"]!.AsArray()
            .Where(e => (string?)e!["type"] == "ActionSet").SelectMany(e => e!["actions"]!.AsArray()).First(a => (string?)a!["title"] == "Acknowledge")!;

        var answer = await playground.PostAsync("_conversation/v1/invoke", Execute(user, chat, cardId, acknowledge));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer!["type"]);
        Assert.Contains("State: Acknowledged", ConnectorCall.TextOf(answer["value"]), StringComparison.Ordinal);
        Assert.Contains($"Assignee: {userName}", ConnectorCall.TextOf(answer["value"]), StringComparison.Ordinal);
        await stream.WaitForAsync(f => (string?)f["action"] == "updateMessage" && (string?)f["message"]?["messageId"] == cardId && CardJson(f).Contains("State: Acknowledged", StringComparison.Ordinal), "the card updated in place");

        await playground.PostAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(chat)}/messages", new JsonObject { ["from"] = new JsonObject { ["id"] = user }, ["text"] = "survey send e2e", ["textFormat"] = "plain" });
        await stream.WaitForAsync(f => CardJson(f).StartsWith($"Started {Survey} run 1", StringComparison.Ordinal), "the answer to survey send");
        await DeliverOutboxAsync(bot);
        var prompt = await stream.WaitForAsync(f => (string?)f["action"] == "createMessage" && CardJson(f).StartsWith(Survey, StringComparison.Ordinal), "the survey card, sent as a direct message");
        var promptId = (string)prompt["message"]!["messageId"]!;
        var promptCard = prompt["message"]!["attachments"]![0]!["content"]!;
        var scored = await playground.PostAsync("_conversation/v1/invoke", Execute(user, chat, promptId, Actions(promptCard).First(a => (string?)a["title"] == "9")));
        Assert.Contains("✓ Saved", ConnectorCall.TextOf(scored!["value"]), StringComparison.Ordinal);

        var form = await playground.PostAsync("_conversation/v1/invoke", Execute(user, chat, promptId, Actions(promptCard).First(a => (string?)a["title"] == "Write a comment")));
        var formCard = form!["value"]!;
        var field = formCard["body"]!.AsArray().First(e => (string?)e!["type"] == "Input.Text")!;
        var saved = await playground.PostAsync("_conversation/v1/invoke", Execute(user, chat, promptId, Actions(formCard).Single(), data => data[(string)field["id"]!] = "Faster CI runners, please"));

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)saved!["type"]);
        Assert.Contains("your comment is saved", ConnectorCall.TextOf(saved["value"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WelcomeMessageTicketAcknowledgeAndSurvey_InItsWebPage_InHeadlessChromium()
    {
        var chromium = ExternalTools.RequireChromium();
        await using var bot = await StartBotAsync();
        await using var playground = await AgentsPlayground.StartAsync(Endpoint(bot));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        // The page asks an Office CDN for fonts; nothing leaves this machine.
        await page.RouteAsync(url => !url.StartsWith($"http://127.0.0.1:{playground.Port}", StringComparison.Ordinal) && !url.StartsWith("ws://127.0.0.1", StringComparison.Ordinal) && !url.StartsWith("http://localhost", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal), route => route.AbortAsync());
        var (_, _, userName) = await playground.ConfigAsync();

        await page.GotoAsync($"http://127.0.0.1:{playground.Port}/", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        try
        {
            await DriveAsync(page, userName, bot);
        }
        finally
        {
            Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "agents-playground.png") });
        }
    }

    private static async Task DriveAsync(IPage page, string userName, TestBot bot)
    {
        await Assertions.Expect(page.GetByText(Welcome).First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The compose box is a contenteditable with a placeholder look, not an input.
        var compose = page.GetByPlaceholder("Type a message...").Or(page.Locator("[contenteditable='true']")).First;
        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("hello there");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("I have no good answer to hello there").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("ticket VPN drops every hour on floor 3");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("PLAT-1: VPN drops every hour on floor 3").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("State: New").Last).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.GetByText("State: Acknowledged").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText($"Assignee: {userName}").Last).ToBeVisibleAsync();

        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("survey send e2e");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText($"Started {Survey} run 1").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await DeliverOutboxAsync(bot); // the survey itself goes through the outbox
        await Assertions.Expect(page.GetByText("How likely are you to recommend the platform?").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "9", Exact = true }).Last.ClickAsync();
        await Assertions.Expect(page.GetByText("✓ Saved").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Write a comment", Exact = true }).Last.ClickAsync();
        var comment = page.Locator("textarea").Last;
        await comment.FillAsync("Faster CI runners, please");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).Last.ClickAsync();
        await Assertions.Expect(page.GetByText("your comment is saved").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }
}
