using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Ai;

/// <summary>Which model provider answers and embeds (<c>AI:Provider</c>); <c>none</c> keeps everything local and offline.</summary>
public sealed class AiOptions
{
    public const string SectionName = "AI";

    public const string None = "none";

    [RegularExpression("^(none|openai|azureopenai|ollama)$", ErrorMessage = "AI:Provider must be none, openai, azureopenai or ollama.")]
    public string Provider { get; set; } = None;

    /// <summary>The provider's endpoint (Azure OpenAI resource, Ollama server); OpenAI's own when empty.</summary>
    [Url]
    public string? Endpoint { get; set; }

    /// <summary>The chat model (or Azure deployment) for grounded answers; none when empty.</summary>
    public string? ChatModel { get; set; }

    /// <summary>The embedding model (or Azure deployment) for vector search; BM25 alone when empty.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>How long a grounded answer may take before the bot answers without it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool Enabled => !string.Equals(Provider, None, StringComparison.OrdinalIgnoreCase);
}
