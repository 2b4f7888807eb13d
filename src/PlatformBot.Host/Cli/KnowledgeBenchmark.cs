using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lucene.Net.Store;
using PlatformBot.Features.Knowledge;

namespace PlatformBot.Host.Cli;

/// <summary>
/// <c>kb bench</c>: builds the index of a corpus on disk (as the bot does) and times searches of a question set, for
/// BENCHMARKS.md. <c>--scale N</c> first writes N copies of the corpus with changed words (so the copies are not
/// duplicates: their vocabulary and term statistics differ), into a temporary folder that is deleted afterwards.
/// </summary>
internal static partial class KnowledgeBenchmark
{
    public static async Task<int> RunAsync(Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        if (!options.TryGetValue("corpus", out var corpus) || !options.TryGetValue("questions", out var questionsPath))
        {
            await errors.WriteLineAsync("Usage: kb bench --corpus <folder> --questions <file.jsonl> [--scale <n>] [--rounds <n>]");
            return 2;
        }

        var scale = options.TryGetValue("scale", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 50) : 1;
        var rounds = options.TryGetValue("rounds", out var r) && int.TryParse(r, CultureInfo.InvariantCulture, out var m) ? Math.Clamp(m, 1, 1000) : 20;
        var work = Path.Combine(Path.GetTempPath(), "platformbot-kb-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var source = scale == 1 ? corpus : Multiply(corpus, Path.Combine(work, "corpus"), scale);
            var files = KnowledgeSources.Enumerate([source], KnowledgeSources.DefaultExclude);

            var started = Stopwatch.GetTimestamp();
            var analyzer = new KnowledgeAnalyzer();
            var index = KnowledgeIndex.Open(FSDirectory.Open(new DirectoryInfo(Path.Combine(work, "index"))), analyzer);
            index.Sync(files);
            var build = Stopwatch.GetElapsedTime(started);
            using var engine = new KnowledgeEngine(index, Synonyms.Load(KnowledgeOptions.DefaultSynonymsFile, analyzer));
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peakAfterBuild = process.PeakWorkingSet64;

            IReadOnlyList<EvaluationQuestion> questions;
            using (var reader = File.OpenText(questionsPath))
            {
                questions = KnowledgeEvaluation.ReadQuestions(reader);
            }

            for (var warm = 0; warm < 3; warm++)
            {
                foreach (var q in questions)
                {
                    engine.Search(q.Question); // warm-up: JIT tiers, OS page cache, per-reader caches
                }
            }

            var cpuBefore = process.TotalProcessorTime;
            var gcBefore = GC.CollectionCount(0);
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var times = new List<double>(questions.Count * rounds);
            var perQuestion = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var q in questions)
                {
                    var t = Stopwatch.GetTimestamp();
                    engine.Search(q.Question);
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    times.Add(ms);
                    perQuestion[q.Id] = Math.Max(perQuestion.GetValueOrDefault(q.Id), ms);
                }
            }

            if (options.ContainsKey("explain"))
            {
                foreach (var (id, ms) in perQuestion.OrderByDescending(x => x.Value).Take(8))
                {
                    await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"slowest: {id} {ms:0.0} ms"));
                }
            }

            process.Refresh();
            var cpuPerSearch = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / times.Count;
            var gcs = GC.CollectionCount(0) - gcBefore;
            var allocatedPerSearch = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / times.Count;
            times.Sort();
            double P(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p / 100 * times.Count) - 1)];
            process.Refresh();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"corpus {corpus} x{scale}: {engine.ArticleCount} articles, {files.Sum(f => new FileInfo(f.FullPath).Length) / 1024.0 / 1024.0:0.0} MB of Markdown"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"build (parse + index + commit on disk): {build.TotalSeconds:0.00} s; peak working set after build {peakAfterBuild / 1024.0 / 1024.0:0} MB; managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"search: {times.Count} searches ({questions.Count} questions x {rounds} rounds): p50 {P(50):0.00} ms, p95 {P(95):0.00} ms, p99 {P(99):0.00} ms, max {times[^1]:0.00} ms; CPU per search {cpuPerSearch:0.00} ms (mean), {allocatedPerSearch:0} KB allocated per search, {gcs} gen0 GCs; process peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB"));

            // The peer, measured in the same run: the plain-BM25 baseline of ../shared/kb-eval/README.md (EnglishAnalyzer,
            // one query of the question's terms over title and body, no boosts, synonyms, fusion or answerability).
            var peer = PlainBm25.Create(files, Path.Combine(work, "plain-index"));
            for (var warm = 0; warm < 3; warm++)
            {
                foreach (var q in questions)
                {
                    peer.Search(q.Question);
                }
            }

            var peerTimes = new List<double>(questions.Count * rounds);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var q in questions)
                {
                    var t = Stopwatch.GetTimestamp();
                    peer.Search(q.Question);
                    peerTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }

            peerTimes.Sort();
            double Q(double p) => peerTimes[Math.Min(peerTimes.Count - 1, (int)Math.Ceiling(p / 100 * peerTimes.Count) - 1)];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"peer (plain BM25 baseline): build {peer.Build.TotalSeconds:0.00} s; search p50 {Q(50):0.00} ms, p95 {Q(95):0.00} ms, p99 {Q(99):0.00} ms, max {peerTimes[^1]:0.00} ms"));
            peer.Dispose();
            return 0;
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(work, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // nothing was written
            }
        }
    }

    /// <summary>Copies the corpus <paramref name="scale"/> times; copy k changes about a third of the longer words by a
    /// suffix derived from k (the first copy is the original).</summary>
    private static string Multiply(string corpus, string target, int scale)
    {
        foreach (var file in KnowledgeSources.Enumerate([corpus], KnowledgeSources.DefaultExclude))
        {
            var text = File.ReadAllText(file.FullPath);
            for (var k = 0; k < scale; k++)
            {
                var path = Path.Combine(target, "copy" + k.ToString(CultureInfo.InvariantCulture), file.Path);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, k == 0 ? text : Change(text, k));
            }
        }

        return target;
    }

    private static string Change(string text, int k) => Word().Replace(text, match =>
    {
        var word = match.Value;
        var hash = (uint)(word.Aggregate(17, (h, c) => unchecked((h * 31) + c)) + (k * 7919)); // stable across runs
        return hash % 3 == 0 ? word + Suffix(k) : word;
    });

    private static string Suffix(int k)
    {
        var sb = new StringBuilder();
        for (var v = k; v > 0; v /= 26)
        {
            sb.Append((char)('a' + (v % 26)));
        }

        return "x" + sb;
    }

    /// <summary>The README's baseline: title and raw body, EnglishAnalyzer, BM25 defaults.</summary>
    private sealed class PlainBm25 : IDisposable
    {
        private readonly Lucene.Net.Analysis.En.EnglishAnalyzer _analyzer = new(KnowledgeAnalyzer.Version);
        private readonly Lucene.Net.Index.DirectoryReader _reader;
        private readonly Lucene.Net.Search.IndexSearcher _searcher;

        private PlainBm25(Lucene.Net.Store.Directory directory, TimeSpan build)
        {
            _reader = Lucene.Net.Index.DirectoryReader.Open(directory);
            _searcher = new Lucene.Net.Search.IndexSearcher(_reader) { Similarity = new Lucene.Net.Search.Similarities.BM25Similarity() };
            Build = build;
        }

        public TimeSpan Build { get; }

        public static PlainBm25 Create(IReadOnlyList<SourceFile> files, string folder)
        {
            var started = Stopwatch.GetTimestamp();
            var directory = FSDirectory.Open(new DirectoryInfo(folder));
            using var analyzer = new Lucene.Net.Analysis.En.EnglishAnalyzer(KnowledgeAnalyzer.Version);
            var config = new Lucene.Net.Index.IndexWriterConfig(KnowledgeAnalyzer.Version, analyzer) { Similarity = new Lucene.Net.Search.Similarities.BM25Similarity() };
            using (var writer = new Lucene.Net.Index.IndexWriter(directory, config))
            {
                foreach (var file in files)
                {
                    var text = File.ReadAllText(file.FullPath);
                    writer.AddDocument(new Lucene.Net.Documents.Document
                    {
                        new Lucene.Net.Documents.StringField("path", file.Path, Lucene.Net.Documents.Field.Store.YES),
                        new Lucene.Net.Documents.TextField("title", ArticleParser.Parse(file.Path, text).Title, Lucene.Net.Documents.Field.Store.NO),
                        new Lucene.Net.Documents.TextField("body", text, Lucene.Net.Documents.Field.Store.NO),
                    });
                }

                writer.Commit();
            }

            return new PlainBm25(directory, Stopwatch.GetElapsedTime(started));
        }

        public int Search(string question)
        {
            var query = new Lucene.Net.Search.BooleanQuery();
            using var stream = _analyzer.GetTokenStream("body", question);
            var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken() && query.Clauses.Count < 1000)
            {
                query.Add(new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term("title", term.ToString())), Lucene.Net.Search.Occur.SHOULD);
                query.Add(new Lucene.Net.Search.TermQuery(new Lucene.Net.Index.Term("body", term.ToString())), Lucene.Net.Search.Occur.SHOULD);
            }

            stream.End();
            var top = _searcher.Search(query, 10);
            return top.ScoreDocs.Sum(d => _searcher.Doc(d.Doc).Get("path", CultureInfo.InvariantCulture).Length);
        }

        public void Dispose()
        {
            _reader.Dispose();
            _analyzer.Dispose();
        }
    }

    [GeneratedRegex(@"\b[A-Za-z]{4,}\b")]
    private static partial Regex Word();
}
