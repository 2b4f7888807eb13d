using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PlatformBot.Features.Surveys;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Surveys;

public sealed class SurveyDefinitionTests
{
    [Theory]
    [InlineData("Schedule", "0 61 * * * ?", "Surveys:Definitions:dx:Schedule '0 61 * * * ?' is not a valid Quartz cron expression")]
    [InlineData("Schedule", "every monday", "Surveys:Definitions:dx:Schedule 'every monday'")]
    [InlineData("TimeZone", "Mars/Olympus", "Surveys:Definitions:dx:TimeZone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("ResultsChannel", "platform", "Surveys:Definitions:dx:ResultsChannel 'platform'")]
    [InlineData("Questions:0:Kind", "stars", "Surveys:Definitions:dx:Questions:0: Kind 'stars'")]
    [InlineData("ReminderAfter", "5.00:00:00", "Surveys:Definitions:dx:ReminderAfter must be positive and shorter than OpenFor")]
    [InlineData("Audience:Users:0", "alice", "Surveys:Definitions:dx:Audience: Users entry 'alice'")]
    public async Task InvalidDefinition_StopsTheStart_NamingTheSurveyAndTheKey(string property, string value, string expected)
    {
        var settings = SurveySettings.Nps("dx", "dev:alice").For("dx", property, value).ToDictionary();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        var message = string.Join("\n", error.Failures);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("(survey 'dx')", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlFolder_AddsItsSurveys()
    {
        var folder = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(folder, "pulse.yaml"), """
            yaml-pulse:
              title: Developer experience pulse
              questions:
                - kind: nps
                  text: How likely are you to recommend the platform?
                - kind: choice
                  text: What slows you down most?
                  options: [CI, Docs, Reviews]
              audience:
                users: [dev:alice, slack:U123]
                recentRequesters: 30.00:00:00
              schedule: 0 0 10 ? * TUE
              timeZone: Europe/Berlin
              openFor: 3.00:00:00
              reminderAfter: 1.00:00:00
              anonymous: true
              minGroupSize: 3
              resultsChannel: dev:platform
            """, TestContext.Current.CancellationToken);
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Surveys:Folder"] = folder });

        var definition = bot.Services.GetRequiredService<IOptions<SurveysOptions>>().Value.Definitions["yaml-pulse"];

        Assert.Equal(("Developer experience pulse", 2, 3, true), (definition.Title, definition.Questions.Count, definition.MinGroupSize, definition.Anonymous));
        Assert.Equal(["CI", "Docs", "Reviews"], definition.Questions[1].Options);
        Assert.Equal(TimeSpan.FromDays(30), definition.Audience.RecentRequesters);
    }

    [Fact]
    public async Task ShippedSampleFolder_IsValid_AndItsScheduleIsQuarterly()
    {
        await using var bot = await TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Surveys:Folder"] = Path.Combine(Repository.Root, "docs", "surveys") });

        var answer = string.Join("\n", (await bot.SayAsync("alice", "/survey list")).Select(m => (string?)m!["text"]));

        Assert.Contains("Quarterly developer experience survey quarterly-dx", answer, StringComparison.Ordinal);
        Assert.Contains("Next run: Tue 12 Jan 10:00 (Europe/Berlin)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlWithAnInvalidCron_StopsTheStart_NamingTheFileTheSurveyAndTheKey()
    {
        var folder = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(folder, "weekly.yml"), """
            weekly:
              Title: Weekly
              Questions: [{ Kind: csat, Text: How was your week? }]
              Audience: { Users: [dev:alice] }
              Schedule: 0 0 25 ? * MON
            """, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?> { ["Surveys:Folder"] = folder }));

        Assert.Contains("Surveys:Folder 'weekly.yml' weekly:Schedule '0 0 25 ? * MON' is not a valid Quartz cron expression", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlThatIsNotASurveyFile_StopsTheStart_NamingTheFile()
    {
        var folder = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.yaml"), "dx: [this is: not, a: survey", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?> { ["Surveys:Folder"] = folder }));

        Assert.Contains("Surveys:Folder file 'broken.yaml' is not a valid survey file", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    private static async Task StartAsync(IDictionary<string, string?> settings)
    {
        var args = new List<string> { "--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = PlatformBotHost.Build([.. args]);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
