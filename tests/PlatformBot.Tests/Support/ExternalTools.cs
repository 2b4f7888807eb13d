namespace PlatformBot.Tests.Support;

/// <summary>
/// End-to-end tests need tools outside .NET (Debian's Chromium, Node). Without them a test skips with a visible reason;
/// CI sets PLATFORMBOT_REQUIRE_E2E=1 after installing them, and then a missing tool is a failure.
/// </summary>
public static class ExternalTools
{
    public static bool Required => Environment.GetEnvironmentVariable("PLATFORMBOT_REQUIRE_E2E") == "1";

    public static string RequireChromium()
    {
        string[] candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        var found = Environment.GetEnvironmentVariable("PLATFORMBOT_CHROMIUM") is { Length: > 0 } configured ? configured : candidates.FirstOrDefault(File.Exists);
        return found ?? Missing("Chromium is not installed (apt-get install chromium, or ./scripts/install-e2e-deps.sh)");
    }

    public static string RequireNode()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
        return path ?? Missing("Node.js is not installed (./scripts/install-e2e-deps.sh)");
    }

    /// <summary>A tool the test needs could not be had: skip with the reason, or fail when CI requires end-to-end tests.</summary>
    public static void Unavailable(string reason) => Missing(reason);

    private static string Missing(string reason)
    {
        if (Required)
        {
            Assert.Fail("PLATFORMBOT_REQUIRE_E2E=1 but " + reason);
        }

        Assert.Skip(reason);
        return string.Empty;
    }
}
