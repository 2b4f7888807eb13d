using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Routing;
using PlatformBot.Team;

namespace PlatformBot.Features.Platform;

public static class PlatformFeature
{
    public const string Command = "platform";
    public const string ReplayAction = "platform.outbox.replay";

    /// <summary>Admin commands about the bot itself: the outbox's dead letters and their replay.</summary>
    public static IServiceCollection AddPlatformAdmin(this IServiceCollection services)
    {
        services.AddCommand<PlatformCommandHandler>(
            Command,
            "Run the bot: dead letters in the outbox, and more as features add them (admins)",
            "`/platform outbox`: messages that could not be delivered, with a Replay button",
            Role.Admin);
        services.AddInteraction<PlatformCommandHandler>("platform.");
        return services;
    }
}
