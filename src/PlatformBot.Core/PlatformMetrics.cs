using System.Diagnostics.Metrics;

namespace PlatformBot;

/// <summary>
/// PlatformBot's meter, exported at <c>GET /metrics</c>. Features create their instruments on it through the host's
/// <see cref="IMeterFactory"/>, so each host (and each test's host) counts only its own work.
/// </summary>
public static class PlatformMetrics
{
    public const string MeterName = "PlatformBot";

    public static Meter Meter(this IMeterFactory meters) => meters.Create(MeterName);
}
