using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PlatformBot.Tests.Channels.Slack;

/// <summary>manifests/slack/manifest.yaml against Slack's manifest schema (offline) and against what the bot handles.</summary>
public sealed partial class SlackManifestTests
{
    /// <summary>The commands DESIGN.md names; the manifest declares them all, features register them as they land.</summary>
    private static readonly string[] DesignCommands = ["ticket", "ask", "escalate", "oncall", "officehours", "survey", "platform"];

    private static string ManifestPath => Path.Combine(AppContext.BaseDirectory, "manifests", "slack", "manifest.yaml");

    [Fact]
    public async Task Manifest_IsValidAgainstSlacksSchema()
    {
        var errors = await ValidateAsync(File.ReadAllText(ManifestPath));

        Assert.Empty(errors);
    }

    [Fact]
    public async Task BrokenManifest_IsCaughtByTheSchema()
    {
        var broken = File.ReadAllText(ManifestPath)
            .Replace("command: /ticket", "command: ticket", StringComparison.Ordinal)
            .Replace("socket_mode_enabled: false", "socket_mode_enabled: \"false\"", StringComparison.Ordinal);

        var errors = await ValidateAsync(broken);

        Assert.Contains(errors, e => e.Contains("slash_commands", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("socket_mode_enabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRegisteredCommand_IsInTheManifest_AndEveryManifestCommandIsADesignedOne()
    {
        await using var bot = await TestBot.StartAsync();
        var registered = bot.Services.GetRequiredService<RouteTable>().Commands.Keys;
        var manifest = CommandPattern().Matches(File.ReadAllText(ManifestPath)).Select(m => m.Groups[1].Value).ToList();

        Assert.Empty(registered.Except(manifest));
        Assert.Empty(manifest.Except(DesignCommands));
        Assert.Equal(DesignCommands.Order(), manifest.Order());
    }

    [Fact]
    public void Manifest_SubscribesToTheEventsTheAdapterHandles_AndEnablesTheHomeTab()
    {
        var manifest = File.ReadAllText(ManifestPath);

        foreach (var ev in new[] { "app_mention", "app_home_opened", "message.channels", "message.im", "reaction_added" })
        {
            Assert.Contains("- " + ev, manifest, StringComparison.Ordinal);
        }

        Assert.Contains("home_tab_enabled: true", manifest, StringComparison.Ordinal);
        Assert.Contains("callback_id: ticket.from-message", manifest, StringComparison.Ordinal);
        Assert.Contains("callback_id: ticket.new", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_HasTheScopesThatListAChannelsMembers()
    {
        var manifest = File.ReadAllText(ManifestPath);

        foreach (var scope in new[] { "channels:read", "groups:read", "users:read" })
        {
            Assert.Matches(@"(?m)^\s*- " + Regex.Escape(scope) + @"\s", manifest);
        }
    }

    private static async Task<List<string>> ValidateAsync(string yaml)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "slack", "manifest.schema.1.0.0.json"), TestContext.Current.CancellationToken);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var errors = schema.Validate(ToJToken(stream.Documents.Single().RootNode));
        return [.. Flatten(errors)];
    }

    private static IEnumerable<string> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            yield return $"{error.Kind} {error.Path}";
            if (error is ChildSchemaValidationError child)
            {
                foreach (var inner in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>YAML to JSON with YAML 1.2 core-schema types for plain scalars; quoted scalars stay strings.</summary>
    private static JToken ToJToken(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(c => new JProperty(((YamlScalarNode)c.Key).Value!, ToJToken(c.Value)))),
        YamlSequenceNode seq => new JArray(seq.Children.Select(ToJToken)),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s => Plain(s.Value),
        YamlScalarNode s => new JValue(s.Value),
        _ => JValue.CreateNull(),
    };

    private static JValue Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => JValue.CreateNull(),
        "true" or "True" or "TRUE" => new JValue(true),
        "false" or "False" or "FALSE" => new JValue(false),
        _ when IntegerPattern().IsMatch(value) => new JValue(long.Parse(value, CultureInfo.InvariantCulture)),
        _ when DecimalPattern().IsMatch(value) => new JValue(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => new JValue(value),
    };

    [GeneratedRegex(@"^\s*- command: /([a-z]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CommandPattern();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalPattern();
}
