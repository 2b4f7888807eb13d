using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PlatformBot.Host.Hosting;

[assembly: AssemblyFixture(typeof(PlatformBot.Tests.Support.TempFolderCleanup))]

namespace PlatformBot.Tests.Support;

/// <summary>
/// The real host on Kestrel at 127.0.0.1 with a fresh data folder (a real LiteDB file) and a FakeTimeProvider.
/// Start it again on the same folder to test a restart.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBot(WebApplication app, string dataDirectory, FakeTimeProvider time)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Time = time;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A Monday 09:00 in Europe/Berlin (07:00 UTC, winter time): the start of a working day.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public static async Task<TestBot> StartAsync(
        string? dataDirectory = null,
        FakeTimeProvider? time = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        dataDirectory ??= TempFolder.Create();
        time ??= new FakeTimeProvider(MondayMorning);
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            $"--PlatformBot:DataDirectory={dataDirectory}",
            "--Outbox:PollInterval=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            args.Add($"--{key}={value}");
        }

        var app = PlatformBotHost.Build([.. args], builder =>
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(time);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestBot(app, dataDirectory, time);
    }

    /// <summary>Types a message in the dev chat as <paramref name="user"/>; returns the bot's answers.</summary>
    public async Task<JsonArray> SayAsync(string user, string text, string conversation = "support", string? threadId = null)
    {
        var body = new JsonObject { ["user"] = user, ["conversation"] = conversation, ["text"] = text };
        if (threadId is not null)
        {
            body["threadId"] = threadId;
        }

        var response = await Http.PostAsJsonAsync("/api/dev/messages", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return json["messages"]!.AsArray();
    }

    /// <summary>Clicks a button of a message the bot posted.</summary>
    public async Task<JsonArray> ClickAsync(string user, JsonNode message, string actionId, string? value = null)
    {
        var button = Buttons(message).FirstOrDefault(b => (string?)b["actionId"] == actionId && (value is null || (string?)b["value"] == value))
            ?? throw new InvalidOperationException($"No button {actionId} in message {message["id"]}: {message.ToJsonString()}");
        var body = new JsonObject
        {
            ["user"] = user,
            ["conversation"] = (string?)message["conversation"],
            ["messageId"] = (string?)message["id"],
            ["actionId"] = actionId,
            ["value"] = (string?)button["value"],
        };
        var response = await Http.PostAsJsonAsync("/api/dev/actions", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["messages"]!.AsArray();
    }

    /// <summary>
    /// Clicks a button of a message in someone else's direct messages, straight through the router: the dev chat refuses
    /// that (a dev chat user may act only in their own <c>dm:</c>), but a card can reach others in Slack or Teams.
    /// </summary>
    public async Task<string> ClickAsSomeoneElseAsync(string user, JsonNode message, string actionId)
    {
        var button = Buttons(message).First(b => (string?)b["actionId"] == actionId);
        var conversation = (string)message["conversation"]!;
        var interaction = new PlatformBot.Conversations.IncomingInteraction(
            actionId,
            (string?)button["value"],
            new PlatformBot.Conversations.UserRef(PlatformBot.Conversations.Channels.DevChat, user),
            new PlatformBot.Conversations.ConversationAddress(PlatformBot.Conversations.Channels.DevChat, conversation, IsDirect: conversation.StartsWith("dm:", StringComparison.Ordinal)))
        {
            MessageId = (string?)message["id"],
        };
        var reply = await Services.GetRequiredService<PlatformBot.Routing.IBotRouter>().HandleInteractionAsync(interaction, TestContext.Current.CancellationToken);
        return reply.ToPlainText();
    }

    /// <summary>Submits the form a message carries.</summary>
    public async Task<JsonArray> SubmitAsync(string user, JsonNode message, IDictionary<string, string> values)
    {
        var form = message["form"] ?? throw new InvalidOperationException("The message has no form.");
        var body = new JsonObject
        {
            ["user"] = user,
            ["conversation"] = (string?)message["conversation"],
            ["messageId"] = (string?)message["id"],
            ["formId"] = (string?)form["formId"],
            ["state"] = (string?)form["state"],
            ["values"] = new JsonObject([.. values.Select(v => new KeyValuePair<string, JsonNode?>(v.Key, v.Value))]),
        };
        var response = await Http.PostAsJsonAsync("/api/dev/actions", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["messages"]!.AsArray();
    }

    public async Task<JsonArray> ConversationAsync(string conversation, string? viewer = null)
    {
        var url = $"/api/dev/conversations/{Uri.EscapeDataString(conversation)}" + (viewer is null ? string.Empty : $"?user={Uri.EscapeDataString(viewer)}");
        var json = JsonNode.Parse(await Http.GetStringAsync(url, TestContext.Current.CancellationToken))!;
        return json["messages"]!.AsArray();
    }

    /// <summary>Runs the outbox dispatcher once, now (tests do not wait for its poll).</summary>
    public Task<int> DeliverOutboxAsync() =>
        Services.GetRequiredService<PlatformBot.Outbox.OutboxDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);

    public static IEnumerable<JsonNode> Buttons(JsonNode message) =>
        message["blocks"]!.AsArray()
            .Where(b => (string?)b!["type"] == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Where(e => (string?)e!["type"] == "button")
            .Select(e => e!);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>Folders for a test's files, under the system's temp folder; those of this run are deleted when it ends
/// (<see cref="TempFolderCleanup"/>).</summary>
public static class TempFolder
{
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Created = new();

    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "platformbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Created.Enqueue(path);
        return path;
    }

    internal static void DeleteAll()
    {
        while (Created.TryDequeue(out var path))
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // still open by a host that did not stop: the system's temp cleaning takes it
            }
        }
    }
}

/// <summary>Deletes this run's temp folders once every test has run (the runner does not always let the process exit normally).</summary>
public sealed class TempFolderCleanup : IDisposable
{
    public void Dispose() => TempFolder.DeleteAll();
}
