using System.ClientModel;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OllamaSharp;
using PlatformBot.Ai;
using PlatformBot.Features.Knowledge;

namespace PlatformBot.Host.Hosting;

internal static class KnowledgeSetup
{
    /// <summary>
    /// The knowledge feature, its readiness check, and the model provider named by <c>AI:Provider</c>. With <c>none</c>
    /// (the default) no chat client or embedding generator is registered, so nothing tries the network. Keys come from
    /// the environment (<c>AI__ApiKey</c>, <c>OPENAI_API_KEY</c>, <c>AZURE_OPENAI_API_KEY</c>) or user secrets, never appsettings.json.
    /// </summary>
    public static IServiceCollection AddKnowledgeAnswers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKnowledge(configuration);
        services.AddHealthChecks().AddCheck<KnowledgeReadiness>("knowledge", tags: ["ready"]);

        var ai = configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (!ai.Enabled)
        {
            return services;
        }

        var key = configuration["AI:ApiKey"];
        switch (ai.Provider.ToLowerInvariant())
        {
            case "openai":
                key ??= configuration["OPENAI_API_KEY"];
                var openAi = new OpenAI.OpenAIClient(
                    new ApiKeyCredential(key ?? throw Missing("OPENAI_API_KEY")),
                    new OpenAI.OpenAIClientOptions { Endpoint = ai.Endpoint is { Length: > 0 } e ? new Uri(e) : null });
                if (ai.ChatModel is { Length: > 0 } chat)
                {
                    services.AddChatClient(openAi.GetChatClient(chat).AsIChatClient());
                }

                if (ai.EmbeddingModel is { Length: > 0 } embedding)
                {
                    services.AddEmbeddingGenerator(openAi.GetEmbeddingClient(embedding).AsIEmbeddingGenerator());
                }

                break;
            case "azureopenai":
                key ??= configuration["AZURE_OPENAI_API_KEY"];
                var azure = new AzureOpenAIClient(
                    new Uri(ai.Endpoint ?? throw Missing("AI:Endpoint")),
                    new ApiKeyCredential(key ?? throw Missing("AZURE_OPENAI_API_KEY")));
                if (ai.ChatModel is { Length: > 0 } deployment)
                {
                    services.AddChatClient(azure.GetChatClient(deployment).AsIChatClient());
                }

                if (ai.EmbeddingModel is { Length: > 0 } embeddingDeployment)
                {
                    services.AddEmbeddingGenerator(azure.GetEmbeddingClient(embeddingDeployment).AsIEmbeddingGenerator());
                }

                break;
            case "ollama":
                var endpoint = new Uri(ai.Endpoint is { Length: > 0 } o ? o : "http://localhost:11434");
                if (ai.ChatModel is { Length: > 0 } model)
                {
                    services.AddChatClient(new OllamaApiClient(endpoint, model));
                }

                if (ai.EmbeddingModel is { Length: > 0 } embeddingModel)
                {
                    services.AddEmbeddingGenerator(new OllamaApiClient(endpoint, embeddingModel));
                }

                break;
            default:
                break;
        }

        return services;
    }

    private static InvalidOperationException Missing(string what) =>
        new($"AI:Provider is set but {what} is missing. Set it in the environment or user secrets, or set AI:Provider to none.");

    /// <summary>Not ready while the index loads, or when a folder named in <c>Knowledge:Folders</c> does not exist (a wrong
    /// path would otherwise serve an empty knowledge base that looks healthy).</summary>
    private sealed class KnowledgeReadiness(IServiceProvider services, Microsoft.Extensions.Options.IOptionsMonitor<KnowledgeOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // Resolved as the knowledge base resolves them (KnowledgeBase.Folders).
            var missing = options.CurrentValue.Folders.Select(Path.GetFullPath).Where(f => !Directory.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"Knowledge:Folders names a folder that does not exist: {string.Join(", ", missing)}"));
            }

            return Task.FromResult(services.IsKnowledgeReady()
                ? HealthCheckResult.Healthy("knowledge index loaded")
                : HealthCheckResult.Unhealthy("knowledge index not loaded yet"));
        }
    }
}
