using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// What a search needs over and over, computed once per index version (a reader is immutable): each document's article
/// path, each article's document, and spelling corrections already looked up. Stored-field reads cost a decompression
/// each; a search that ranks hundreds of sections must not pay that per hit.
/// </summary>
internal sealed class ReaderCache
{
    private static readonly ConditionalWeakTable<IndexReader, ReaderCache> Caches = [];
    private static readonly ISet<string> PathOnly = new HashSet<string> { IndexFields.Path };
    private static readonly ISet<string> TitleOnly = new HashSet<string> { IndexFields.TitleStored };

    private ReaderCache(IndexSearcher searcher)
    {
        var reader = searcher.IndexReader;
        var paths = new string[reader.MaxDoc];
        var live = MultiFields.GetLiveDocs(reader);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is null || live.Get(doc))
            {
                paths[doc] = reader.Document(doc, PathOnly).Get(IndexFields.Path, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        PathOf = paths;
        var articles = searcher.Search(new TermQuery(new Term(IndexFields.Kind, IndexFields.ArticleKind)), Math.Max(1, reader.MaxDoc));
        ArticleDoc = articles.ScoreDocs.ToDictionary(h => paths[h.Doc], h => h.Doc, StringComparer.Ordinal);
        TitleOf = articles.ScoreDocs.ToDictionary(
            h => paths[h.Doc],
            h => reader.Document(h.Doc, TitleOnly).Get(IndexFields.TitleStored, CultureInfo.InvariantCulture) ?? paths[h.Doc],
            StringComparer.Ordinal);
    }

    /// <summary>The article path of every document (sections and articles alike), by document id.</summary>
    public IReadOnlyList<string> PathOf { get; }

    /// <summary>The article-level document of each path.</summary>
    public IReadOnlyDictionary<string, int> ArticleDoc { get; }

    public IReadOnlyDictionary<string, string> TitleOf { get; }

    public ConcurrentDictionary<string, (string Term, int Frequency)?> Corrections { get; } = new(StringComparer.Ordinal);

    public static ReaderCache For(IndexSearcher searcher) => Caches.GetValue(searcher.IndexReader, _ => new ReaderCache(searcher));
}
