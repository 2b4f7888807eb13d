using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Storage;

namespace PlatformBot.Features.Knowledge;

/// <summary>An article's metadata, for the stale list.</summary>
internal sealed record ArticleInfo(string Path, string Title, IReadOnlyList<string> Owners, DateOnly? Updated);

/// <summary>
/// The knowledge index of the process: on disk beside the LiteDB file (<c>knowledge-index/</c>), loaded at start (only
/// changed sources are reindexed), then kept current by <see cref="KnowledgeWatcher"/>. Searches before it is loaded get
/// nothing (the readiness check says so).
/// </summary>
internal sealed partial class KnowledgeBase(IOptions<KnowledgeOptions> options, IOptions<StorageOptions> storage, ILogger<KnowledgeBase> logger) : IDisposable
{
    public const string IndexFolderName = "knowledge-index";

    private readonly System.Threading.Lock _gate = new();
    private KnowledgeEngine? _engine;

    public bool IsReady => Volatile.Read(ref _engine) is not null;

    public KnowledgeOptions Options => options.Value;

    public string IndexPath => Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), IndexFolderName);

    public IReadOnlyList<string> Folders => [.. options.Value.FolderList.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)))]; // "docs/" is "docs": the watcher matches paths by prefix

    public KnowledgeAnalyzer? Analyzer => _engine?.Analyzer;

    public int ArticleCount => _engine?.ArticleCount ?? 0;

    /// <summary>Opens the index and brings it in line with the folders. Safe to call again (a no-op once loaded).</summary>
    public IndexSyncResult Load()
    {
        lock (_gate)
        {
            if (_engine is not null)
            {
                return Sync();
            }

            var analyzer = new KnowledgeAnalyzer();
            System.IO.Directory.CreateDirectory(IndexPath);
            var index = KnowledgeIndex.Open(FSDirectory.Open(new DirectoryInfo(IndexPath)), analyzer);
            var result = index.Sync(Sources());
            var synonymsPath = Path.GetFullPath(options.Value.SynonymsFile);
            var synonyms = Synonyms.Load(synonymsPath, analyzer);
            Volatile.Write(ref _engine, new KnowledgeEngine(index, synonyms));
            LogLoaded(index.ArticleCount, result.Added, result.Updated, result.Removed, result.Unchanged, synonyms.Count, IndexPath);
            return result;
        }
    }

    /// <summary>Re-reads every folder (after a watcher overflow or a folder rename).</summary>
    public IndexSyncResult Sync()
    {
        var engine = _engine ?? throw new InvalidOperationException("The knowledge index is not loaded.");
        var result = engine.Index.Sync(Sources());
        if (result.Changed)
        {
            LogSynced(result.Added, result.Updated, result.Removed);
        }

        return result;
    }

    /// <summary>Updates the index for one changed, created or deleted file (a full path under a knowledge folder).</summary>
    public void Refresh(string fullPath)
    {
        if (_engine is not { } engine)
        {
            return;
        }

        var folder = Folders.FirstOrDefault(f => fullPath.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (folder is null)
        {
            return;
        }

        var relative = KnowledgeSources.RelativePath(folder, fullPath);
        if (KnowledgeSources.IsExcluded(relative, options.Value.ExcludeList) || !relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        SourceFile? file = null;
        if (File.Exists(fullPath))
        {
            try
            {
                file = new SourceFile(folder, relative, fullPath, KnowledgeSources.HashOf(fullPath));
            }
            catch (IOException)
            {
                return; // still being written: the next change event brings it
            }
        }

        engine.Index.Refresh(relative, file);
        LogRefreshed(relative, file is null ? "removed" : "indexed");
    }

    public SearchOutcome Search(string? question, int top = 10, IReadOnlyDictionary<string, int>? vectorRanks = null) =>
        _engine is { } engine ? engine.Search(question, top, detailed: top, vectorRanks) : SearchOutcome.Nothing;

    /// <summary>Every section in the index (path, anchor, heading, text), for embedding.</summary>
    public IReadOnlyList<(string Path, string Anchor, string Heading, string Text)> AllSections()
    {
        if (_engine is not { } engine)
        {
            return [];
        }

        return engine.Index.Read(searcher =>
        {
            var top = searcher.Search(new TermQuery(new Term(IndexFields.Kind, IndexFields.SectionKind)), Math.Max(1, searcher.IndexReader.MaxDoc));
            return top.ScoreDocs
                .Select(hit => searcher.Doc(hit.Doc))
                .Select(doc => (
                    doc.Get(IndexFields.Path, CultureInfo.InvariantCulture),
                    doc.Get(IndexFields.Anchor, CultureInfo.InvariantCulture) ?? string.Empty,
                    doc.Get(IndexFields.Heading, CultureInfo.InvariantCulture) ?? string.Empty,
                    doc.Get(IndexFields.Body, CultureInfo.InvariantCulture) ?? string.Empty))
                .ToList();
        });
    }

    /// <summary>Articles with an <c>updated</c> date older than <see cref="KnowledgeOptions.StaleAfter"/>, oldest first.</summary>
    public IReadOnlyList<ArticleInfo> Stale(DateOnly today)
    {
        if (_engine is not { } engine)
        {
            return [];
        }

        var cutoff = today.AddDays(-(int)Math.Ceiling(options.Value.StaleAfter.TotalDays));
        return engine.Index.Read(searcher =>
        {
            var top = searcher.Search(new TermQuery(new Term(IndexFields.Kind, IndexFields.ArticleKind)), Math.Max(1, searcher.IndexReader.MaxDoc));
            return top.ScoreDocs
                .Select(hit => searcher.Doc(hit.Doc))
                .Select(doc => new ArticleInfo(
                    doc.Get(IndexFields.Path, CultureInfo.InvariantCulture),
                    doc.Get(IndexFields.TitleStored, CultureInfo.InvariantCulture) ?? string.Empty,
                    (doc.Get(IndexFields.Owners, CultureInfo.InvariantCulture) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
                    DateOnly.TryParseExact(doc.Get(IndexFields.Updated, CultureInfo.InvariantCulture), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null))
                .Where(a => a.Updated is { } updated && updated < cutoff)
                .OrderBy(a => a.Updated)
                .ThenBy(a => a.Path, StringComparer.Ordinal)
                .ToList();
        });
    }

    /// <summary>The public link of an article section: <c>BaseUrl</c> + path (without <c>.md</c>) + anchor, or null.</summary>
    public string? UrlOf(string path, string anchor)
    {
        if (string.IsNullOrEmpty(options.Value.BaseUrl))
        {
            return null;
        }

        var page = path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        var url = options.Value.BaseUrl.TrimEnd('/') + "/" + string.Join('/', page.Split('/').Select(Uri.EscapeDataString));
        return anchor.Length > 0 ? url + "#" + Uri.EscapeDataString(anchor) : url;
    }

    public void Dispose() => _engine?.Dispose();

    private IReadOnlyList<SourceFile> Sources() => KnowledgeSources.Enumerate(Folders, options.Value.ExcludeList);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index loaded: {Articles} articles ({Added} added, {Updated} updated, {Removed} removed, {Unchanged} unchanged), {Synonyms} synonym phrases, at {Path}")]
    private partial void LogLoaded(int articles, int added, int updated, int removed, int unchanged, int synonyms, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge index synced: {Added} added, {Updated} updated, {Removed} removed")]
    private partial void LogSynced(int added, int updated, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge article {Path} {What}")]
    private partial void LogRefreshed(string path, string what);
}
