using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Platform;

/// <summary>
/// A verb of <c>/platform</c> that another feature adds (<c>/platform escalation check</c>), so features extend the admin
/// command without editing its handler. Admins only, like <c>/platform</c> itself.
/// </summary>
public interface IPlatformSubcommand
{
    /// <summary>The first word after <c>/platform</c> (<c>escalation</c>).</summary>
    string Verb { get; }

    /// <summary>One usage line in Markdown, shown in <c>/platform</c>'s usage.</summary>
    string Usage { get; }

    /// <summary>Answers <c>/platform {Verb} {arguments}</c>.</summary>
    Task<Reply> HandleAsync(IncomingCommand command, string arguments, CancellationToken cancellationToken);
}

public static class PlatformSubcommandServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformSubcommand<T>(this IServiceCollection services)
        where T : class, IPlatformSubcommand
    {
        services.AddScoped<IPlatformSubcommand, T>();
        return services;
    }
}
