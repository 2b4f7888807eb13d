using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// Slack's request signature v0: <c>v0=</c> + hex(HMAC-SHA256(secret, <c>v0:{timestamp}:{raw body}</c>)), compared in
/// constant time, with the timestamp within a window either way (Bolt only refuses old ones; a future one is as suspect).
/// </summary>
internal static class SlackSignature
{
    private const string Prefix = "v0=";

    public static bool IsValid(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Compute(secret, timestampHeader, body);
        var given = Encoding.ASCII.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The signature header value for a body, as ASCII bytes (also used by tests and the fake servers).</summary>
    public static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var baseLength = 3 + timestamp.Length + 1 + body.Length;
        var baseString = new byte[baseLength];
        Encoding.ASCII.GetBytes("v0:", baseString);
        Encoding.ASCII.GetBytes(timestamp, baseString.AsSpan(3));
        baseString[3 + timestamp.Length] = (byte)':';
        body.CopyTo(baseString.AsSpan(4 + timestamp.Length));

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), baseString, mac);
        var header = new byte[Prefix.Length + 64];
        Encoding.ASCII.GetBytes(Prefix, header);
        var hex = Convert.ToHexStringLower(mac);
        Encoding.ASCII.GetBytes(hex, header.AsSpan(Prefix.Length));
        return header;
    }
}
