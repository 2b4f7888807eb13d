using Microsoft.Playwright;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.EndToEnd;

/// <summary>The dev chat page in headless Chromium, against the real host on loopback.</summary>
public sealed class DevChatBrowserTests
{
    /// <summary>Chromium with the dev chat open as alice in #support; disposing closes the browser.</summary>
    private sealed class Session(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public async ValueTask DisposeAsync()
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    private static async Task<Session> OpenAsync(TestBot bot)
    {
        var chromium = ExternalTools.RequireChromium();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = bot.Http.BaseAddress!.ToString() });
        await page.GotoAsync("/");
        await page.FillAsync("#user", "alice");
        await page.FillAsync("#conversation", "support");
        await page.ClickAsync("#who button[type=submit]");
        return new Session(playwright, browser, page);
    }

    [Fact]
    public async Task TypedMessage_GetsItsAnswer_AndAButtonClickWorks()
    {
        await using var bot = await TestBot.StartAsync(services: s =>
        {
            s.AddCommand<GreetHandler>("greet", "Say hello with a button", "`/greet`");
            s.AddInteraction<GreetHandler>("greet.");
        });
        await using var session = await OpenAsync(bot);
        var page = session.Page;
        await page.FillAsync("#text", "help");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("/greet");

        await page.FillAsync("#text", "/greet <b>you</b>");
        await page.ClickAsync("#send");
        var button = page.Locator("#messages button[data-action='greet.wave']");
        await Assertions.Expect(button).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("Hello <b>you</b>");
        await button.ClickAsync();

        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("alice waved back");
        Assert.Equal(0, await page.Locator("#messages b").CountAsync());

        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "devchat.png") });
    }

    [Fact]
    public async Task Form_ShowsFieldErrors_ThenSubmits()
    {
        await using var bot = await TestBot.StartAsync(services: s =>
        {
            s.AddCommand<FormHandler>("signup", "Open a form", "`/signup`");
            s.AddInteraction<FormHandler>("signup.");
        });
        await using var session = await OpenAsync(bot);
        var page = session.Page;
        await page.FillAsync("#text", "/signup");
        await page.ClickAsync("#send");
        var form = page.Locator("form[data-form='signup.form']").Last;
        await Assertions.Expect(form).ToBeVisibleAsync();

        await form.Locator("input[name=name]").FillAsync("x");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]").Last).ToContainTextAsync("at least 3 characters");

        var again = page.Locator("form[data-form='signup.form']").Last;
        await again.Locator("input[name=name]").FillAsync("Alice");
        await again.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("Welcome, Alice");
    }

    internal sealed class FormHandler : ICommandHandler, IInteractionHandler
    {
        private static readonly Form SignupForm = new("signup.form", "Sign up", [new FormField("name", "Your name") { Required = true }]);

        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
            Task.FromResult(Reply.OpenForm(SignupForm));

        public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
        {
            var name = interaction.Values.GetValueOrDefault("name", string.Empty).Trim();
            return Task.FromResult(name.Length < 3
                ? Reply.OpenForm(SignupForm.WithErrors(new Dictionary<string, string> { ["name"] = "Use at least 3 characters." }, interaction.Values))
                : Reply.Text(Md.Text($"Welcome, {name}")));
        }
    }

    internal sealed class GreetHandler : ICommandHandler, IInteractionHandler
    {
        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
            Task.FromResult(Reply.OfBlocks(
                new TextBlock(Md.Text($"Hello {command.Text}")),
                new ActionsBlock([new Button("greet.wave", "Wave back", "1", ButtonStyle.Primary)])));

        public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken) =>
            Task.FromResult(Reply.Text(Md.Text($"{interaction.User.Id} waved back")) with { ReplacesSource = true });
    }
}
