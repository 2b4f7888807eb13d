using LiteDB;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Ai;
using PlatformBot.Storage;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// Vector search over sections when <c>AI:EmbeddingModel</c> names a model: sections are embedded once per content hash
/// (cached in LiteDB, so an unchanged section is never embedded twice, across restarts too), the question is embedded per
/// search, and the articles ranked by cosine similarity join the BM25 rankings in the fusion. Without a generator
/// (<c>AI:Provider=none</c>) it does nothing and touches no network.
/// </summary>
internal sealed partial class SectionEmbeddings(
    PlatformDatabase database,
    IOptions<AiOptions> options,
    ILogger<SectionEmbeddings> logger,
    IEmbeddingGenerator<string, Embedding<float>>? generator = null) : IDisposable
{
    private const int BatchSize = 64;
    private const int Depth = 100;

    private readonly ILiteCollection<CachedEmbedding> _cache = database.Collection<CachedEmbedding>("kb_embeddings");
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyList<(string Path, float[] Vector)> _sections = [];

    public bool Enabled => generator is not null;

    /// <summary>Makes sure every section of the index has its vector; embeds only what the cache does not hold.</summary>
    public async Task<int> RefreshAsync(KnowledgeBase knowledge, CancellationToken cancellationToken)
    {
        if (generator is null)
        {
            return 0;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var model = options.Value.EmbeddingModel ?? "default";
            var sections = knowledge.AllSections()
                .Select(s => (s.Path, Key: model + ":" + KnowledgeSources.HashOfText(s.Heading + "\n" + s.Text), Text: s.Heading + "\n" + s.Text))
                .ToList();
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var key in sections.Select(s => s.Key).Distinct(StringComparer.Ordinal))
            {
                if (_cache.ById(key) is { } cached)
                {
                    vectors[key] = cached.Vector;
                }
            }

            var missing = sections.Where(s => !vectors.ContainsKey(s.Key)).DistinctBy(s => s.Key).ToList();
            foreach (var batch in missing.Chunk(BatchSize))
            {
                var embedded = await generator.GenerateAsync(batch.Select(b => b.Text), cancellationToken: cancellationToken);
                for (var i = 0; i < batch.Length; i++)
                {
                    var vector = Normalized(embedded[i].Vector.ToArray());
                    vectors[batch[i].Key] = vector;
                    _cache.Upsert(new CachedEmbedding { Id = batch[i].Key, Vector = vector });
                }
            }

            _sections = [.. sections.Select(s => (s.Path, vectors[s.Key]))];
            LogRefreshed(sections.Count, missing.Count);
            return missing.Count;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Articles by their best section's similarity to the question (rank 1 is best); null when off or failing.</summary>
    public async Task<IReadOnlyDictionary<string, int>?> RankAsync(string question, CancellationToken cancellationToken)
    {
        var sections = _sections;
        if (generator is null || sections.Count == 0 || string.IsNullOrWhiteSpace(question))
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            var embedded = await generator.GenerateAsync([question.Length > 2000 ? question[..2000] : question], cancellationToken: timeout.Token);
            var q = Normalized(embedded[0].Vector.ToArray());
            var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (path, _) in sections
                .Where(s => s.Vector.Length == q.Length)
                .Select(s => (s.Path, Score: Dot(s.Vector, q)))
                .OrderByDescending(s => s.Score)
                .Take(Depth * 3))
            {
                ranks.TryAdd(path, ranks.Count + 1);
                if (ranks.Count == Depth)
                {
                    break;
                }
            }

            return ranks;
        }
        catch (Exception ex)
        {
            // Whatever the embedding client throws (a provider's AggregateException on 429/5xx included): search falls
            // back to words alone, unless the caller cancelled.
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            LogQuestionFailed(ex);
            return null;
        }
    }

    public void Dispose() => _refresh.Dispose();

    private static float[] Normalized(float[] vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Section embeddings ready: {Sections} sections, {Embedded} newly embedded")]
    private partial void LogRefreshed(int sections, int embedded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding the question failed; searched with BM25 alone")]
    private partial void LogQuestionFailed(Exception ex);

    internal sealed class CachedEmbedding
    {
        [BsonId]
        public string Id { get; set; } = "";

        public float[] Vector { get; set; } = [];
    }
}
