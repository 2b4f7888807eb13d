using PlatformBot.Features.Sla;

namespace PlatformBot.Tests.Features.Sla;

public sealed class SlaOptionsTests
{
    [Theory]
    [InlineData("Sla:Calendars:office:TimeZone", "Mars/Olympus")]
    [InlineData("Sla:Calendars:office:WorkingHours:Mon-Fri", "9 to 5")]
    [InlineData("Sla:Calendars:office:WorkingHours:Funday", "09:00-17:00")]
    [InlineData("Sla:Calendars:office:Holidays:0", "25/12/2026")]
    [InlineData("Sla:Policies:P2:Calendar", "moon")]
    [InlineData("Sla:Policies:P1:FirstResponse", "00:00:01")]
    [InlineData("Sla:WarnAt:0", "1.5")]
    public void InvalidValue_IsNamedByItsKey(string key, string value)
    {
        var options = Valid();
        Set(options, key, value);

        var result = new SlaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPriority_IsNamed()
    {
        var options = Valid();
        options.Policies.Remove("P4");

        var result = new SlaOptionsValidator().Validate(null, options);

        Assert.Contains("Sla:Policies:P4 is missing", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidOptions_CompileWithDefaultWarnings()
    {
        var settings = SlaSettings.From(Valid());

        Assert.Equal([0.75, 0.9], settings.WarnAt);
        Assert.Equal("office", settings.Policies["P2"].Calendar);
        Assert.False(settings.Calendar("office").IsAlwaysOpen);
    }

    [Fact]
    public async Task Host_WithAnInvalidSla_DoesNotStart_AndNamesTheKey()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Support.TestBot.StartAsync(settings: new Dictionary<string, string?> { ["Sla:Policies:P2:Calendar"] = "moon" }));

        Assert.Contains("Sla:Policies:P2:Calendar", failure.ToString(), StringComparison.Ordinal);
    }

    internal static SlaOptions Valid() => new()
    {
        Calendars = new(StringComparer.OrdinalIgnoreCase)
        {
            ["office"] = new SlaCalendarOptions
            {
                TimeZone = "Europe/Berlin",
                WorkingHours = new(StringComparer.OrdinalIgnoreCase) { ["Mon-Fri"] = "09:00-17:00" },
                Holidays = ["2026-12-25"],
            },
        },
        Policies = new(StringComparer.OrdinalIgnoreCase)
        {
            ["P1"] = new SlaPolicyOptions { FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4), Calendar = "24x7" },
            ["P2"] = new SlaPolicyOptions { FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromHours(16), Calendar = "office" },
            ["P3"] = new SlaPolicyOptions { FirstResponse = TimeSpan.FromHours(4), Resolution = TimeSpan.FromHours(40), Calendar = "office" },
            ["P4"] = new SlaPolicyOptions { FirstResponse = TimeSpan.FromHours(16), Resolution = TimeSpan.FromHours(128), Calendar = "office" },
        },
    };

    private static void Set(SlaOptions options, string key, string value)
    {
        var parts = key.Split(':');
        switch (parts[1])
        {
            case "Calendars" when parts[3] == "TimeZone":
                options.Calendars[parts[2]].TimeZone = value;
                break;
            case "Calendars" when parts[3] == "WorkingHours":
                options.Calendars[parts[2]].WorkingHours.Clear();
                options.Calendars[parts[2]].WorkingHours[parts[4]] = value;
                break;
            case "Calendars" when parts[3] == "Holidays":
                options.Calendars[parts[2]].Holidays[0] = value;
                break;
            case "Policies" when parts[3] == "Calendar":
                options.Policies[parts[2]].Calendar = value;
                break;
            case "Policies":
                options.Policies[parts[2]].FirstResponse = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                options.WarnAt = [double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)];
                break;
        }
    }
}
