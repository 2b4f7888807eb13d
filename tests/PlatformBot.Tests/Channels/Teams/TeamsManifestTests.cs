using System.IO.Compression;
using System.Text.Json.Nodes;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>manifests/teams: the app package people side-load, checked against Microsoft's manifest schema (v1.30).</summary>
public sealed class TeamsManifestTests
{
    private static string ManifestFolder => Path.Combine(Repository.Root, "manifests", "teams");

    private static string ManifestText => File.ReadAllText(Path.Combine(ManifestFolder, "manifest.json"));

    [Fact]
    public async Task Manifest_IsValidAgainstTheTeamsSchema()
    {
        var schema = await SchemaFiles.TeamsManifestAsync();

        var errors = SchemaFiles.Errors(schema, ManifestText);

        Assert.Empty(errors);
        Assert.Equal("1.30", (string?)JsonNode.Parse(ManifestText)!["manifestVersion"]);
    }

    [Theory]
    [InlineData("\"groupChat\"", "\"groupchat\"")]
    [InlineData("\"manifestVersion\": \"1.30\"", "\"manifestVersion\": \"1.24\"")]
    [InlineData("\"accentColor\": \"#4464EE\"", "\"accentColor\": \"blue\"")]
    [InlineData("\"type\": \"Application\"", "\"type\": \"App\"")]
    public async Task SchemaCheck_CatchesWhatTeamsWouldRefuse(string good, string bad)
    {
        var schema = await SchemaFiles.TeamsManifestAsync();

        var errors = SchemaFiles.Errors(schema, ManifestText.Replace(good, bad, StringComparison.Ordinal));

        Assert.NotEmpty(errors);
    }

    /// <summary>
    /// Teams delivers channel and group-chat messages that do not mention the bot (replies in a ticket's thread, which
    /// the bot tells people to use) only with resource-specific consent, granted to the app named in webApplicationInfo.
    /// </summary>
    [Fact]
    public void Manifest_AsksForConsentToReadUnmentionedChannelAndChatMessages_ForTheBotsOwnApp()
    {
        var manifest = JsonNode.Parse(ManifestText)!;

        var permissions = manifest["authorization"]?["permissions"]?["resourceSpecific"]?.AsArray().Select(p => ((string?)p!["name"], (string?)p["type"]));

        Assert.Equal([("ChannelMessage.Read.Group", "Application"), ("ChatMessage.Read.Chat", "Application")], permissions ?? []);
        Assert.Equal((string?)manifest["bots"]![0]!["botId"], (string?)manifest["webApplicationInfo"]?["id"]);
    }

    [Fact]
    public void Icons_AreA192ColourIcon_AndA32TransparentWhiteOutline()
    {
        var color = PngImage.Read(File.ReadAllBytes(Path.Combine(ManifestFolder, "color.png")));
        var outline = PngImage.Read(File.ReadAllBytes(Path.Combine(ManifestFolder, "outline.png")));

        Assert.Equal((192, 192), (color.Width, color.Height));
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        Assert.Equal(6, outline.ColorType);
        var pixels = outline.Rgba.Chunk(4).ToList();
        Assert.Equal(0, pixels[0][3]);
        Assert.Contains(pixels, p => p[3] == 0);
        Assert.Contains(pixels, p => p[3] == 255);
        Assert.All(pixels.Where(p => p[3] > 0), p => Assert.Equal(new byte[] { 255, 255, 255 }, p[..3]));
    }

    [Fact]
    public async Task ManifestCommands_MatchTheRegisteredCommands_InEveryScope()
    {
        await using var bot = await TestBot.StartAsync();
        var registered = bot.Services.GetRequiredService<RouteTable>().Commands.Keys.Append(BotRouter.HelpCommand).Order(StringComparer.Ordinal).ToList();
        var lists = JsonNode.Parse(ManifestText)!["bots"]![0]!["commandLists"]!.AsArray();

        Assert.Equal(["groupChat", "personal", "team"], lists.SelectMany(l => l!["scopes"]!.AsArray().Select(s => (string)s!)).Order(StringComparer.Ordinal));
        Assert.All(lists, list => Assert.Equal(registered, list!["commands"]!.AsArray().Select(c => (string)c!["title"]!).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Package_IsAFlatZip_WithTheBotIdFilledIn_AndStillValid()
    {
        var output = Path.Combine(TempFolder.Create(), "platformbot-teams.zip");
        const string botId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

        var (exitCode, log) = await Repository.RunAsync("bash", Path.Combine(Repository.Root, "scripts", "teams-package.sh"), "--bot-id", botId, "--out", output);

        Assert.True(exitCode == 0, log);
        using var zip = ZipFile.OpenRead(output);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Equal(botId, (string?)JsonNode.Parse(manifest)!["bots"]![0]!["botId"]);
        Assert.Equal(botId, (string?)JsonNode.Parse(manifest)!["webApplicationInfo"]?["id"]);
        Assert.Empty(SchemaFiles.Errors(await SchemaFiles.TeamsManifestAsync(), manifest));
    }

    [Fact]
    public async Task Package_WithoutABotId_IsRefused_NamingWhatIsMissing()
    {
        var (exitCode, log) = await Repository.RunAsync("env", "-u", "Teams__AppId", "bash", Path.Combine(Repository.Root, "scripts", "teams-package.sh"), "--out", Path.Combine(TempFolder.Create(), "x.zip"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--bot-id", log, StringComparison.Ordinal);
    }
}
