using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PlatformBot.Events;
using PlatformBot.Features.Tickets;
using PlatformBot.Routing;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.Surveys;

public static class SurveysFeature
{
    public const string Command = "survey";
    public const string ActionPrefix = "survey.";
    public const string AnswerAction = "survey.answer";
    public const string ToggleAction = "survey.toggle";
    public const string CommentAction = "survey.comment";
    public const string CommentFormId = "survey.comment-form";
    public const string CardKeyPrefix = "survey:";
    public const int MaxCommentLength = 2000;

    internal const string Usage = "`/survey list`, `/survey send <id>`, `/survey close <id>`, `/survey results <id> [run]` (`/survey results after-resolution` for the post-resolution CSAT)";

    /// <summary>
    /// Pulse surveys answered in chat: definitions with validation (configuration and YAML files), Quartz cron schedules in
    /// each survey's zone, a sweep for fan-out, reminders and closes, the <c>survey</c> command, answer buttons, insights.
    /// </summary>
    public static IServiceCollection AddSurveys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SurveysOptions>()
            .Bind(configuration.GetSection(SurveysOptions.SectionName))
            .PostConfigure(SurveyDefinitionFiles.Load)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton<ISurveyStore, LiteDbSurveyStore>();
        services.TryAddSingleton<RespondentKeys>();
        services.TryAddSingleton<SurveyAudienceResolver>();
        services.AddSingleton<RecentRequesterLedger>();
        services.AddSingleton<IRecentRequesters>(sp => sp.GetRequiredService<RecentRequesterLedger>());
        services.TryAddSingleton<SurveyRunner>();
        services.TryAddSingleton<ISurveyInsights, SurveyInsights>();
        services.AddHostedService<SurveySchedule>();
        services.AddSweep<SurveySweep>("surveys", TimeSpan.FromMinutes(1));

        // From the Tickets feature, through its events only: resolutions start post-resolution CSATs (reopenings drop the
        // ones still waiting), filings say who the recent requesters are.
        services.AddDomainEventHandler<TicketResolved, CsatAfterResolution>();
        services.AddDomainEventHandler<TicketReopened, CsatAfterResolution>();
        services.AddDomainEventProjection<TicketCreated, RecentRequesterLedger>();

        services.AddCommand<SurveyCommandHandler>(Command, "Pulse surveys: list them; send, close and see results (admins)", Usage);
        services.AddInteraction<SurveyAnswerHandler>(ActionPrefix);
        return services;
    }
}
