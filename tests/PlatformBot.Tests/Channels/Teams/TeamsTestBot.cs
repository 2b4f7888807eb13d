using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Host.Channels.Teams;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>The real host with the Teams channel, a fake connector behind it, and (for authentication) a fake issuer.</summary>
public sealed class TeamsTestBot : IAsyncDisposable
{
    public const string AppId = "00000000-0000-0000-0000-0000000000b0";

    private TeamsTestBot(TestBot bot, FakeConnector connector, FakeBotFrameworkIssuer? issuer)
    {
        Bot = bot;
        Connector = connector;
        Issuer = issuer;
    }

    public TestBot Bot { get; }

    public FakeConnector Connector { get; }

    public FakeBotFrameworkIssuer? Issuer { get; }

    public string ServiceUrl => Connector.ServiceUrl;

    public DateTimeOffset Now => Bot.Time.GetUtcNow();

    /// <summary>Authentication off (no app id, Development), as with the Agents Playground.</summary>
    public static Task<TeamsTestBot> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        StartAsync(authenticated: false, settings, services);

    /// <summary>Authentication on: tokens from the fake issuer, the bot's own token from the fake Entra ID.</summary>
    public static Task<TeamsTestBot> StartAuthenticatedAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        StartAsync(authenticated: true, settings, services);

    private static async Task<TeamsTestBot> StartAsync(bool authenticated, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var connector = await FakeConnector.StartAsync();
        var issuer = authenticated ? await FakeBotFrameworkIssuer.StartAsync() : null;
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (issuer is not null)
        {
            all["Teams:AppId"] = AppId;
            all["Teams:AppPassword"] = "test-secret-from-the-environment";
            all["Teams:OpenIdMetadataUrl"] = issuer.MetadataUrl;
        }

        var logs = new RecordingLoggerProvider();
        var bot = await TestBot.StartAsync(settings: all, services: s =>
        {
            s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
            s.AddDemoFeature();
            if (issuer is not null)
            {
                s.AddHttpClient(MsalConnectorTokens.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new LoopbackRedirect(issuer.BaseUrl));
            }

            services?.Invoke(s);
        });
        return new TeamsTestBot(bot, connector, issuer) { Logs = logs };
    }

    /// <summary>What the host logged at warning and above.</summary>
    public RecordingLoggerProvider Logs { get; private init; } = new();

    public async Task<HttpResponseMessage> SendAsync(JsonObject activity, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TeamsChannel.Endpoint)
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Bot.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends with a valid token (when authentication is on) and expects the activity to be accepted.</summary>
    public async Task<JsonNode?> SendOkAsync(JsonObject activity)
    {
        var token = Issuer?.Token(AppId, (string)activity["serviceUrl"]!, Now);
        using var response = await SendAsync(activity, token);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    public T Service<T>()
        where T : notnull => Bot.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Connector.DisposeAsync();
        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }
    }
}

/// <summary>A small feature for channel tests: a card with a key and buttons, a form, and a private answer.</summary>
internal static class DemoFeature
{
    public static IServiceCollection AddDemoFeature(this IServiceCollection services)
    {
        services.AddCommand<DemoHandler>("demo", "Show a demo card", "`demo <title>`");
        services.AddCommand<DemoHandler>("demoform", "Open a demo form", "`demoform`");
        services.AddCommand<DemoHandler>("whisper", "Answer privately", "`whisper <text>`");
        services.AddInteraction<DemoHandler>("demo.");
        return services;
    }

    public static Reply Card(string title, string state) => new()
    {
        CardKey = "demo:D-1",
        Blocks =
        [
            new HeaderBlock(Md.Text($"*D-1* {title}")),
            new SectionBlock(null, [new Field("State", Md.Text($"{state}"))]),
            new ActionsBlock([new Button("demo.ack", "Acknowledge", "D-1", ButtonStyle.Primary), new Button("demo.secret", "Details", "D-1")]),
        ],
    };

    public static Form Form() => new("demo.form", "Open a demo ticket", [new FormField("summary", "Summary") { Required = true, MaxLength = 200 }]) { State = "from-test" };

    internal sealed class DemoHandler : ICommandHandler, IInteractionHandler
    {
        public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) => Task.FromResult(command.Name switch
        {
            "demoform" => Reply.OpenForm(Form()),
            "whisper" => Reply.Private(Md.Text($"Only you see: {command.Text}")),
            _ => Card(command.Text, "open"),
        });

        public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken) => Task.FromResult(interaction.ActionId switch
        {
            "demo.ack" => Card("acknowledged by " + interaction.User.Name, "acknowledged") with { ReplacesSource = true },
            "demo.form" when interaction.Values.GetValueOrDefault("summary") is not { Length: >= 5 } =>
                Reply.OpenForm(Form().WithErrors(new Dictionary<string, string> { ["summary"] = "Say a little more (5 characters at least)." }, interaction.Values)),
            "demo.mine" => Reply.Private(Md.Text($"Only your view of {interaction.Value} changed.")) with { ReplacesSource = true },
            "demo.form" => Reply.Text(Md.Text($"Filed: {interaction.Values["summary"]} ({interaction.State})")),
            _ => Reply.Private(Md.Text($"Details of {interaction.Value} are private.")),
        });
    }
}
