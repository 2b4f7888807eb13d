using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Host.Hosting;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Escalation;

public sealed class EscalationCoverageTests
{
    private static Dictionary<string, string?> WithGaps() => new()
    {
        ["OnCall:Schedules:later:TimeZone"] = "Europe/Berlin",
        ["OnCall:Schedules:later:Members:0"] = "dana",
        ["OnCall:Schedules:later:Rotation"] = "daily",
        ["OnCall:Schedules:later:HandoffTime"] = "09:00",
        ["OnCall:Schedules:later:Start"] = "2026-12-01",
        ["Escalation:Policies:thin:Levels:0:Targets:0"] = "schedule:day",
        ["Escalation:Policies:thin:Levels:1:Targets:0"] = "channel:ops",
        ["Escalation:Policies:late:Levels:0:Targets:0"] = "schedule:later",
        ["Escalation:Policies:ghost:Levels:0:Targets:0"] = "user:slack:U0GHOST",
    };

    [Fact]
    public async Task Check_ListsEveryKindOfGap()
    {
        await using var h = await EscalationHarness.StartAsync(WithGaps());

        var answer = (string)(await h.Bot.SayAsync("priya", "/platform escalation check")).Single()!["text"]!;

        Assert.Contains("Escalation coverage: 4 gap(s) in the next 14 days", answer, StringComparison.Ordinal);
        Assert.Contains("Schedule later has nobody on call from Mon 23 Nov 09:00 to Tue 1 Dec 09:00 Europe/Berlin.", answer, StringComparison.Ordinal);
        Assert.Contains("Policy late: its last level has nobody to acknowledge from Mon 23 Nov 09:00 to Tue 1 Dec 09:00 Europe/Berlin.", answer, StringComparison.Ordinal);
        Assert.Contains("Policy thin: its last level pages only channels (channel:ops)", answer, StringComparison.Ordinal);
        Assert.Contains("User slack:U0GHOST is unknown to every channel (slack: not configured)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithEveryoneCovered_SaysNoGaps()
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = (string)(await h.Bot.SayAsync("priya", "/platform escalation check")).Single()!["text"]!;

        Assert.StartsWith("No gaps", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_IsForAdmins()
    {
        await using var h = await EscalationHarness.StartAsync(WithGaps());

        var answer = (string)(await h.Bot.SayAsync("dana", "/platform escalation check")).Single()!["text"]!;

        Assert.Contains("is for the platform team's admins", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformUsage_NamesTheEscalationCheck()
    {
        await using var h = await EscalationHarness.StartAsync();

        var answer = (string)(await h.Bot.SayAsync("priya", "/platform")).Single()!["text"]!;

        Assert.Contains("/platform escalation check", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_LogsTheGaps()
    {
        var log = new CapturingLogger("Escalation coverage gap");

        await using var h = await EscalationHarness.StartAsync(WithGaps(), services: s => s.AddSingleton<ILoggerProvider>(log));
        await log.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Contains(log.Lines, l => l.Contains("Schedule later has nobody on call", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Escalation:Policies:p:Levels:0:Targets:0", "schedule:primery", "Escalation:Policies:p:Levels:0:Targets:0 names the schedule 'primery', which is not defined under OnCall:Schedules")]
    [InlineData("Escalation:Policies:p:Levels:0:Targets:0", "pager:dana", "Escalation:Policies:p:Levels:0:Targets:0 'pager:dana' must be schedule:<name>, user:<id> or channel:<id>")]
    [InlineData("Escalation:Policies:p:Repeat", "99", "Escalation:Policies:p:Repeat must be between 0 and 10")]
    [InlineData("Escalation:Policies:p:AfterHours", "sometimes", "Escalation:Policies:p:AfterHours 'sometimes' must be 'wait' or 'page'")]
    [InlineData("Escalation:DefaultPolicy", "nope", "Escalation:DefaultPolicy names the policy 'nope'")]
    [InlineData("OnCall:Schedules:day:TimeZone", "Mars/Olympus", "OnCall:Schedules:day:TimeZone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("OnCall:Schedules:day:Rotation", "hourly", "OnCall:Schedules:day:Rotation 'hourly' must be 'daily' or 'weekly'")]
    [InlineData("OnCall:Schedules:backup:HandoffDay", "Funday", "OnCall:Schedules:backup:HandoffDay 'Funday' must be a weekday")]
    [InlineData("Escalation:Policies:p:Calendar", "nowhere", "Escalation:Policies:p:Calendar 'nowhere' is neither '24x7' nor one of Sla:Calendars")]
    public async Task BadConfiguration_StopsTheStart_NamingTheKey(string key, string value, string expected)
    {
        var settings = EscalationHarness.Settings();
        settings["Escalation:Policies:p:Levels:0:Targets:0"] = "schedule:day";
        settings[key] = value;
        var args = new List<string> { "--urls=http://127.0.0.1:0", $"--PlatformBot:DataDirectory={TempFolder.Create()}" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = PlatformBotHost.Build([.. args]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, string.Join("\n", error.Failures), StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    private sealed class CapturingLogger(string signal) : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            Lines.Enqueue(line);
            if (line.Contains(signal, StringComparison.Ordinal))
            {
                Seen.TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }
}
