using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace PlatformBot.Features.Knowledge;

/// <summary>Field names of the index. Sections and whole articles are separate Lucene documents with separate fields, so
/// each level keeps its own term statistics.</summary>
internal static class IndexFields
{
    public const string Path = "path";
    public const string Kind = "kind";
    public const string Hash = "hash";
    public const string Anchor = "anchor";
    public const string Heading = "heading";
    public const string TitleStored = "title_s";
    public const string Tags = "tags";
    public const string Owners = "owners";
    public const string Updated = "updated";

    // Section level: the heading trail (title first) and the text.
    public const string Trail = "trail";
    public const string Body = "body";

    // Article level.
    public const string DocTitle = "dtitle";
    public const string DocHeadings = "dheads";
    public const string DocPath = "dpath";
    public const string DocBody = "dbody";

    public const string SectionKind = "s";
    public const string ArticleKind = "d";
}

/// <summary>What a synchronisation of the index with its folders did.</summary>
internal sealed record IndexSyncResult(int Added, int Updated, int Removed, int Unchanged, bool Rebuilt)
{
    public bool Changed => Added + Updated + Removed > 0 || Rebuilt;
}

/// <summary>
/// The Lucene index of the knowledge folders (BM25): one writer, searchers refreshed after each change. The index itself
/// remembers each article's content hash, so a start with unchanged sources touches nothing, and a changed file replaces
/// only its own documents.
/// </summary>
internal sealed class KnowledgeIndex : IDisposable
{
    private const string AnalysisKey = "analysis";

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly Lock _writeGate = new();

    private KnowledgeIndex(LuceneDirectory directory, KnowledgeAnalyzer analyzer, IndexWriter writer)
    {
        _directory = directory;
        Analyzer = analyzer;
        _writer = writer;
        _searchers = new SearcherManager(writer, applyAllDeletes: true, new Bm25SearcherFactory());
    }

    public KnowledgeAnalyzer Analyzer { get; }

    public static Similarity Similarity { get; } = new BM25Similarity();

    public static KnowledgeIndex Open(LuceneDirectory directory, KnowledgeAnalyzer analyzer)
    {
        var config = new IndexWriterConfig(KnowledgeAnalyzer.Version, analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
            RAMBufferSizeMB = 32,
        };
        var writer = new IndexWriter(directory, config);
        var version = writer.CommitData.TryGetValue(AnalysisKey, out var v) ? v : null;
        if (version != KnowledgeAnalyzer.AnalysisVersion.ToString(CultureInfo.InvariantCulture))
        {
            writer.DeleteAll();
        }

        return new KnowledgeIndex(directory, analyzer, writer);
    }

    /// <summary>Brings the index in line with the files: adds new, replaces changed, removes deleted articles.</summary>
    public IndexSyncResult Sync(IReadOnlyList<SourceFile> files)
    {
        lock (_writeGate)
        {
            var known = StoredHashes();
            var rebuilt = known.Count == 0 && files.Count > 0;
            int added = 0, updated = 0, unchanged = 0;
            foreach (var file in files)
            {
                if (known.TryGetValue(file.Path, out var hash))
                {
                    known.Remove(file.Path);
                    if (hash == file.Hash)
                    {
                        unchanged++;
                        continue;
                    }

                    updated++;
                }
                else
                {
                    added++;
                }

                Write(file);
            }

            foreach (var gone in known.Keys)
            {
                _writer.DeleteDocuments(new Term(IndexFields.Path, gone));
            }

            var result = new IndexSyncResult(added, updated, known.Count, unchanged, rebuilt);
            if (result.Changed || !_writer.CommitData.ContainsKey(AnalysisKey))
            {
                // One segment after a bulk change: every term lookup of a search then hits one dictionary, not several.
                _writer.ForceMerge(1);
                Commit();
            }

            return result;
        }
    }

    /// <summary>Re-reads one file (created or changed) or drops it (deleted); the file watcher calls this.</summary>
    public void Refresh(string relativePath, SourceFile? file)
    {
        lock (_writeGate)
        {
            if (file is null)
            {
                _writer.DeleteDocuments(new Term(IndexFields.Path, relativePath));
            }
            else
            {
                Write(file);
            }

            Commit();
        }
    }

    public int ArticleCount
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.GetDocCount(IndexFields.DocBody) is var n and > 0 ? n : 0;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Runs a read against the current searcher (a point-in-time view; changes appear after the next commit).</summary>
    public T Read<T>(Func<IndexSearcher, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var searcher = _searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }

    private void Write(SourceFile file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return; // vanished or locked between listing and reading: the watcher sees the next change
        }

        var article = ArticleParser.Parse(file.Path, text);
        _writer.UpdateDocuments(new Term(IndexFields.Path, file.Path), Documents(article, file.Hash));
    }

    private void Commit()
    {
        _writer.SetCommitData(new Dictionary<string, string>
        {
            [AnalysisKey] = KnowledgeAnalyzer.AnalysisVersion.ToString(CultureInfo.InvariantCulture),
        });
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    private Dictionary<string, string> StoredHashes() => Read(searcher =>
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var top = searcher.Search(new TermQuery(new Term(IndexFields.Kind, IndexFields.ArticleKind)), Math.Max(1, searcher.IndexReader.MaxDoc));
        foreach (var hit in top.ScoreDocs)
        {
            var doc = searcher.Doc(hit.Doc);
            hashes[doc.Get(IndexFields.Path, CultureInfo.InvariantCulture)] = doc.Get(IndexFields.Hash, CultureInfo.InvariantCulture);
        }

        return hashes;
    });

    internal static IEnumerable<Document> Documents(Article article, string hash)
    {
        var pathWords = PathWords(article.Path);
        foreach (var section in article.Sections)
        {
            yield return new Document
            {
                new StringField(IndexFields.Path, article.Path, Field.Store.YES),
                new StringField(IndexFields.Kind, IndexFields.SectionKind, Field.Store.NO),
                new StoredField(IndexFields.Anchor, section.Anchor),
                new StoredField(IndexFields.Heading, section.Heading),
                new StoredField(IndexFields.TitleStored, article.Title),
                new TextField(IndexFields.Trail, section.Trail, Field.Store.NO),
                new TextField(IndexFields.Body, section.Text, Field.Store.YES),
            };
        }

        var headings = string.Join("\n", article.Sections.Select(s => s.Heading));
        var articleDoc = new Document
        {
            new StringField(IndexFields.Path, article.Path, Field.Store.YES),
            new StringField(IndexFields.Kind, IndexFields.ArticleKind, Field.Store.NO),
            new StringField(IndexFields.Hash, hash, Field.Store.YES),
            new StoredField(IndexFields.TitleStored, article.Title),
            new StoredField(IndexFields.Tags, string.Join(',', article.Tags)),
            new StoredField(IndexFields.Owners, string.Join(',', article.Owners)),
            new StoredField(IndexFields.Updated, article.Updated?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty),
            new TextField(IndexFields.DocTitle, article.Title + "\n" + string.Join(' ', article.Tags), Field.Store.NO),
            new TextField(IndexFields.DocHeadings, headings, Field.Store.NO),
            new TextField(IndexFields.DocPath, pathWords, Field.Store.NO),
            new TextField(IndexFields.DocBody, article.Title + "\n" + headings + "\n" + pathWords + "\n" + article.Body, Field.Store.NO),
        };
        yield return articleDoc;
    }

    /// <summary><c>user-guide/sync-waves.md</c> → <c>user guide sync waves</c>.</summary>
    internal static string PathWords(string path)
    {
        var withoutExtension = path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return string.Join(' ', withoutExtension.Split(['/', '-', '_', '.'], StringSplitOptions.RemoveEmptyEntries));
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
    }
}
