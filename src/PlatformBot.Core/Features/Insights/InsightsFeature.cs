using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Insights;

public static class InsightsFeature
{
    /// <summary>The scorecard (for the App Home and the dashboard), from whatever features run.</summary>
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddSingleton<IScorecard>(sp => new PlatformScorecard(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Tickets.ITickets>(),
            sp.GetService<Knowledge.IKnowledgeInsights>(),
            sp.GetService<Surveys.ISurveyInsights>(),
            sp.GetService<OfficeHours.IOfficeHours>()));
        services.AddHomeSection<ScorecardHomeSection>();
        return services;
    }
}

internal sealed class ScorecardHomeSection(IScorecard scorecard) : IHomeSection
{
    public string Key => HomeSections.Scorecard;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Block>>([new HeaderBlock(Md.Text($"Platform scorecard")), .. ScorecardText.Blocks(scorecard.Compute())]);
}
