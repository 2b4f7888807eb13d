using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PlatformBot.Tests.Channels.Teams;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.EndToEnd;

/// <summary>
/// The real host (Teams channel, authentication off, as for any local client) driven by Microsoft 365 Agents Playground, a
/// Teams-like client nobody here wrote: its welcome on install, a message, a card, and a click on the card's button
/// (Action.Execute, answered in the invoke response). Skips with the reason when Node or Chromium are missing; CI installs
/// them and then a skip fails the run.
/// </summary>
public sealed class AgentsPlaygroundTests
{
    private const string Welcome = "Hello! I'm PlatformBot";

    private static Task<TestBot> StartBotAsync() => TestBot.StartAsync(services: s => s.AddDemoFeature());

    private static string Endpoint(TestBot bot) => new Uri(bot.Http.BaseAddress!, "api/messages").AbsoluteUri;

    private static string CardJson(JsonNode frame) => ConnectorCall.TextOf(frame["message"]?["attachments"]?[0]?["content"]);

    [Fact]
    public async Task InstallMessageCardAndClick_ThroughThePlaygroundsApi()
    {
        await using var bot = await StartBotAsync();
        await using var playground = await AgentsPlayground.StartAsync(Endpoint(bot));
        await using var stream = await playground.OpenStreamAsync();
        var (chat, user, userName) = await playground.ConfigAsync();

        await playground.PostAsync($"_debug/conversation/{Uri.EscapeDataString(chat)}/installation", []);
        await stream.WaitForAsync(f => CardJson(f).Contains(Welcome, StringComparison.Ordinal), "the welcome card");

        await playground.PostAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(chat)}/messages", new JsonObject { ["from"] = new JsonObject { ["id"] = user }, ["text"] = "hello there", ["textFormat"] = "plain" });
        await stream.WaitForAsync(f => CardJson(f).Contains("I did not understand that", StringComparison.Ordinal), "the answer to a message");

        await playground.PostAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(chat)}/messages", new JsonObject { ["from"] = new JsonObject { ["id"] = user }, ["text"] = "demo printer on floor 3 jams", ["textFormat"] = "plain" });
        var card = await stream.WaitForAsync(f => (string?)f["action"] == "createMessage" && CardJson(f).Contains("printer on floor 3 jams", StringComparison.Ordinal), "the demo card");
        var cardId = (string)card["message"]!["messageId"]!;
        var acknowledge = card["message"]!["attachments"]![0]!["content"]!["body"]!.AsArray()
            .Where(e => (string?)e!["type"] == "ActionSet").SelectMany(e => e!["actions"]!.AsArray()).First(a => (string?)a!["title"] == "Acknowledge")!;

        var answer = await playground.PostAsync("_conversation/v1/invoke", new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["from"] = new JsonObject { ["id"] = user },
            ["conversation"] = new JsonObject { ["id"] = chat },
            ["replyToId"] = cardId,
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = acknowledge["verb"]!.DeepClone(), ["data"] = acknowledge["data"]!.DeepClone() } },
        });

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)answer!["type"]);
        Assert.Contains($"acknowledged by {userName}", ConnectorCall.TextOf(answer["value"]), StringComparison.Ordinal);
        await stream.WaitForAsync(f => (string?)f["action"] == "updateMessage" && (string?)f["message"]?["messageId"] == cardId && CardJson(f).Contains("acknowledged", StringComparison.Ordinal), "the card updated in place");
    }

    [Fact]
    public async Task InstallMessageCardAndClick_InItsWebPage_InHeadlessChromium()
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
            await DriveAsync(page, userName);
        }
        finally
        {
            Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "agents-playground.png") });
        }
    }

    private static async Task DriveAsync(IPage page, string userName)
    {
        await Assertions.Expect(page.GetByText(Welcome).First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The compose box is a contenteditable with a placeholder look, not an input.
        var compose = page.GetByPlaceholder("Type a message...").Or(page.Locator("[contenteditable='true']")).First;
        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("hello there");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("I did not understand that").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("demo printer on floor 3 jams");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("printer on floor 3 jams").Last).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.GetByText($"acknowledged by {userName}").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }
}
