namespace PlatformBot.Features.Knowledge;

/// <summary>The knowledge search for other features (office hours' "the docs' best answer", the App Home).</summary>
public interface IKnowledgeSearch
{
    /// <summary>The best sections for a question, best first; empty when the knowledge base has no good answer.</summary>
    IReadOnlyList<KnowledgeMatch> Search(string question, int count = 3);
}

/// <param name="Url">The section's public link, or null when <c>Knowledge:BaseUrl</c> is not set.</param>
/// <param name="Location">The path and anchor in the knowledge folder (<c>deploys/rollback.md#roll-back-with-git</c>).</param>
/// <param name="Snippet">A short extract around the question's words, plain text.</param>
public sealed record KnowledgeMatch(string Title, string Heading, string? Url, string Location, string Snippet);

internal sealed class KnowledgeSearch(KnowledgeBase knowledge) : IKnowledgeSearch
{
    public IReadOnlyList<KnowledgeMatch> Search(string question, int count = 3)
    {
        var outcome = knowledge.Search(question, Math.Clamp(count, 1, 10));
        if (knowledge.Analyzer is not { } analyzer)
        {
            return [];
        }

        return [.. outcome.Offered.Select(a => new KnowledgeMatch(
            a.Title,
            a.Section.Heading,
            knowledge.UrlOf(a.Path, a.Section.Anchor),
            a.Section.Anchor.Length > 0 ? $"{a.Path}#{a.Section.Anchor}" : a.Path,
            Snippets.Make(analyzer, a.Section.Body, outcome.Concepts).Plain))];
    }
}
