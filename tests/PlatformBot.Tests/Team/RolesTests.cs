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
    [InlineData("slack", "dana", Role.Agent)]
    [InlineData("teams", "dana", Role.Agent)]
    [InlineData("slack", "U024BE7LH", Role.Agent)]
    [InlineData("teams", "U024BE7LH", Role.Requester)]
    [InlineData("slack", "priya", Role.Admin)]
    [InlineData("dev", "omar", Role.Agent)]
    [InlineData("dev", "root", Role.Admin)]
    [InlineData("dev", "alice", Role.Requester)]
    public void RoleOf_MatchesPlainAndChannelQualifiedIds(string channel, string id, Role expected)
    {
        var roles = Roles(new TeamOptions { Agents = ["dana", "slack:U024BE7LH", "priya", "dev:omar"], Admins = ["priya", "dev:root"] });

        Assert.Equal(expected, roles.RoleOf(new UserRef(channel, id)));
    }

    [Theory]
    [InlineData("dana")]
    [InlineData("priya")]
    public void RoleOf_DevChatUserNamedLikeABareEntry_IsRequester(string id)
    {
        var roles = Roles(new TeamOptions { Agents = ["dana"], Admins = ["priya"] });

        Assert.Equal(Role.Requester, roles.RoleOf(new UserRef("dev", id)));
    }
}
