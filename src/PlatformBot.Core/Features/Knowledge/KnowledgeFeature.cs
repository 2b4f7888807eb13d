using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PlatformBot.Ai;
using PlatformBot.Events;
using PlatformBot.Features.Platform;
using PlatformBot.Features.Tickets;
using PlatformBot.Routing;

namespace PlatformBot.Features.Knowledge;

public static class KnowledgeFeature
{
    /// <summary>Answers from the knowledge folders: <c>/ask</c>, questions to the bot, the feedback buttons, insights.</summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KnowledgeOptions>().Bind(configuration.GetSection(KnowledgeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AiOptions>().Bind(configuration.GetSection(AiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<KnowledgeBase>();
        services.AddHostedService<KnowledgeWatcher>();
        services.TryAddSingleton<IKnowledgeStore, LiteDbKnowledgeStore>();
        services.TryAddSingleton<IKnowledgeInsights, KnowledgeInsights>();
        services.TryAddSingleton<IKnowledgeSearch, KnowledgeSearch>();
        services.TryAddSingleton<GroundedAnswers>();
        services.TryAddSingleton<SectionEmbeddings>();
        services.TryAddScoped<KnowledgeAnswering>();

        services.AddCommand<AskCommandHandler>(
            KnowledgeRoutes.Command,
            "Ask the platform knowledge base",
            "`/ask <question>`: the three best sections of the docs, with links; say whether they solved it, or open a ticket");
        services.AddMessageHandler<QuestionMessageHandler>(cardKeyPrefix: null, order: 100);
        services.AddInteraction<KnowledgeActionHandler>(KnowledgeRoutes.ActionPrefix);
        services.AddDomainEventProjection<TicketCreated, QuestionsTurnedIntoTickets>();
        services.AddDomainEventProjection<TicketResolved, DraftFromResolution>();
        services.AddPlatformSubcommand<StaleArticlesVerb>();
        return services;
    }

    /// <summary>True once the knowledge index is loaded (for the host's readiness check).</summary>
    public static bool IsKnowledgeReady(this IServiceProvider services) => services.GetRequiredService<KnowledgeBase>().IsReady;
}
