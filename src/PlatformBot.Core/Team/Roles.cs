using Microsoft.Extensions.Options;
using PlatformBot.Conversations;

namespace PlatformBot.Team;

public enum Role
{
    Requester = 0,
    Agent = 1,
    Admin = 2,
}

/// <summary>Who may do what: agents and admins from <see cref="TeamOptions"/>, everyone else a requester.</summary>
public interface IRoles
{
    Role RoleOf(UserRef user);

    /// <summary>Every configured agent and admin entry, as written.</summary>
    IReadOnlyList<string> AgentEntries { get; }
}

internal sealed class ConfiguredRoles(IOptionsMonitor<TeamOptions> options) : IRoles
{
    public IReadOnlyList<string> AgentEntries => [.. options.CurrentValue.Agents, .. options.CurrentValue.Admins];

    public Role RoleOf(UserRef user)
    {
        var team = options.CurrentValue;
        if (Matches(team.Admins, user))
        {
            return Role.Admin;
        }

        return Matches(team.Agents, user) ? Role.Agent : Role.Requester;
    }

    // A bare id ("dana") means that id in Slack or Teams, whose users are verified by the platform. Anyone who reaches the
    // dev chat can type any name, so a dev chat user gets a role only from an entry that names the dev chat: "dev:dana".
    private static bool Matches(List<string> entries, UserRef user) =>
        entries.Exists(e => string.Equals(e, user.Key, StringComparison.Ordinal)
            || (user.Channel != Channels.DevChat && string.Equals(e, user.Id, StringComparison.Ordinal)));
}

public static class RoleExtensions
{
    public static bool IsAgent(this IRoles roles, UserRef user) => roles.RoleOf(user) >= Role.Agent;

    public static bool IsAdmin(this IRoles roles, UserRef user) => roles.RoleOf(user) == Role.Admin;
}
