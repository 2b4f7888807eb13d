using Microsoft.Extensions.DependencyInjection;

namespace PlatformBot.Conversations;

/// <summary>
/// A part of a person's home view (Slack's App Home; a Teams personal tab could show the same): a feature renders its
/// figures for the viewer as neutral blocks. Channels show "not set up yet" for an expected section nobody registered.
/// </summary>
public interface IHomeSection
{
    /// <summary>One of <see cref="HomeSections"/>.</summary>
    string Key { get; }

    /// <summary>The section's blocks for this viewer; empty when it has nothing for him (agents-only figures).</summary>
    Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken);
}

/// <summary>The sections a home view shows, in order, and who provides them.</summary>
public static class HomeSections
{
    public const string MyTickets = "my-tickets";
    public const string AboutToBreach = "about-to-breach";
    public const string OfficeHours = "office-hours";
    public const string Scorecard = "scorecard";

    /// <summary>Key, title, and whether only agents see it.</summary>
    public static readonly IReadOnlyList<(string Key, string Title, bool AgentsOnly)> Expected =
    [
        (MyTickets, "Your open tickets", false),
        (AboutToBreach, "Tickets about to breach their SLA", true),
        (OfficeHours, "Office hours", false),
        (Scorecard, "Platform scorecard", false),
    ];

    public static IServiceCollection AddHomeSection<TSection>(this IServiceCollection services)
        where TSection : class, IHomeSection
    {
        services.AddSingleton<IHomeSection, TSection>();
        return services;
    }
}
