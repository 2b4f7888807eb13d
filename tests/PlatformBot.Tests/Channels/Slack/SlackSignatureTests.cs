using System.Text;
using PlatformBot.Host.Channels.Slack;

namespace PlatformBot.Tests.Channels.Slack;

public sealed class SlackSignatureTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("token=x&command=%2Fticket&text=VPN+down");

    [Theory]
    [InlineData(0, true)]
    [InlineData(-240, true)]
    [InlineData(-300, true)]
    [InlineData(-301, false)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(600, false)]
    public void Timestamp_MustBeWithinFiveMinutesEitherWay(int skew, bool valid)
    {
        var ts = (1_700_000_000 + skew).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(valid, SlackSignature.IsValid("s", ts, SlackTestBot.Sign("s", ts, Encoding.UTF8.GetString(Body)), Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("1700000000", "garbage")]
    [InlineData("1700000000", "v0=abababababababababababababababababababababababababababababababab")]
    [InlineData("1700000000", "")]
    [InlineData("abc", null)]
    [InlineData("", null)]
    [InlineData("-1700000000", null)]
    public void MalformedOrMissingHeaders_AreRefused(string timestamp, string? signature)
    {
        signature ??= SlackTestBot.Sign("s", timestamp, Encoding.UTF8.GetString(Body));

        Assert.False(SlackSignature.IsValid("s", timestamp, signature, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void OurSignature_MatchesTheReferenceComputation()
    {
        var ours = Encoding.ASCII.GetString(SlackSignature.Compute("s", "1700000000", Body));

        Assert.Equal(SlackTestBot.Sign("s", "1700000000", Encoding.UTF8.GetString(Body)), ours);
    }
}
