using System.Diagnostics.Metrics;

namespace PlatformBot;

/// <summary>The one meter of PlatformBot; features add their instruments to it. Exported at <c>GET /metrics</c>.</summary>
public static class PlatformMetrics
{
    public const string MeterName = "PlatformBot";

    public static readonly Meter Meter = new(MeterName);
}
