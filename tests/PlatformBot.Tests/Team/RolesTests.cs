using Microsoft.Extensions.Options;
using NSubstitute;
using PlatformBot.Conversations;
using PlatformBot.Team;

namespace PlatformBot.Tests.Team;

public sealed class RolesTests
{
    private static ConfiguredRoles Roles(TeamOptions options)
    {
        var monitor = Substitute.For<IOptionsMonitor<TeamOptions>>();
        monitor.CurrentValue.Returns(options);
        return new ConfiguredRoles(monitor);
    }

    [Theory]
    [InlineData("dev", "dana", Role.Agent)]
    [InlineData("slack", "dana", Role.Agent)]
    [InlineData("slack", "U024BE7LH", Role.Agent)]
    [InlineData("teams", "U024BE7LH", Role.Requester)]
    [InlineData("dev", "priya", Role.Admin)]
    [InlineData("dev", "alice", Role.Requester)]
    public void RoleOf_MatchesPlainAndChannelQualifiedIds(string channel, string id, Role expected)
    {
        var roles = Roles(new TeamOptions { Agents = ["dana", "slack:U024BE7LH", "priya"], Admins = ["priya"] });

        Assert.Equal(expected, roles.RoleOf(new UserRef(channel, id)));
    }
}
