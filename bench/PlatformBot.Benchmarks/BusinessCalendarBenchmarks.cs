using BenchmarkDotNet.Attributes;
using PlatformBot.Features.Sla;

namespace PlatformBot.Benchmarks;

/// <summary>The business-time arithmetic behind every due time: an office calendar against the 24x7 peer.</summary>
[ShortRunJob]
public class BusinessCalendarBenchmarks
{
    private static readonly BusinessCalendar Office = BusinessCalendar.Create(
        "office",
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        SlaSettings.ParseDays("Mon-Fri")!.ToDictionary(d => d, _ => (IReadOnlyList<WorkingHours>)SlaSettings.ParseHours("09:00-17:00")!),
        [new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);

    private static readonly DateTimeOffset Friday = new(2026, 12, 18, 16, 0, 0, TimeSpan.FromHours(1));

    [Params("01:00:00", "40:00:00")]
    public string Target { get; set; } = "01:00:00";

    [Benchmark(Baseline = true)]
    public DateTimeOffset AlwaysOpen() => BusinessCalendar.AlwaysOpen.AddWorkingTime(Friday, TimeSpan.Parse(Target, System.Globalization.CultureInfo.InvariantCulture));

    [Benchmark]
    public DateTimeOffset OfficeHoursWithHolidays() => Office.AddWorkingTime(Friday, TimeSpan.Parse(Target, System.Globalization.CultureInfo.InvariantCulture));
}
