using Lucene.Net.Store;

namespace PlatformBot.Features.Knowledge;

/// <summary>An index with its searcher: what the bot, the CLI and the benchmark search.</summary>
internal sealed class KnowledgeEngine : IDisposable
{
    private readonly KnowledgeSearcher _searcher;

    public KnowledgeEngine(KnowledgeIndex index, Synonyms synonyms, SearchTuning? tuning = null)
    {
        Index = index;
        SynonymCount = synonyms.Count;
        _searcher = new KnowledgeSearcher(index.Analyzer, synonyms, tuning ?? SearchTuning.Default);
    }

    public KnowledgeIndex Index { get; }

    public KnowledgeAnalyzer Analyzer => Index.Analyzer;

    public int ArticleCount => Index.ArticleCount;

    public int SynonymCount { get; }

    public double MinimumConfidence => _searcher.Tuning.MinimumConfidence;

    /// <summary>An engine over folders indexed in memory (the CLI and the benchmark).</summary>
    public static KnowledgeEngine InMemory(IEnumerable<string> folders, IReadOnlyList<string> exclude, string? synonymsPath)
    {
        var analyzer = new KnowledgeAnalyzer();
        var index = KnowledgeIndex.Open(new RAMDirectory(), analyzer);
        index.Sync(KnowledgeSources.Enumerate(folders, exclude));
        return new KnowledgeEngine(index, Synonyms.Load(synonymsPath, analyzer));
    }

    public SearchOutcome Search(string? question, int top = 10, int detailed = 3, IReadOnlyDictionary<string, int>? vectorRanks = null) =>
        Index.Read(s => _searcher.Search(s, question, top, detailed, vectorRanks));

    public void Dispose() => Index.Dispose();
}
