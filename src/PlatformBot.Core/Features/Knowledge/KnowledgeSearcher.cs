using System.Collections.Immutable;
using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace PlatformBot.Features.Knowledge;

/// <summary>One idea of the question: a term, or a jargon phrase with its synonyms; present in a text when any alternative is.</summary>
/// <param name="Idf">How rare the idea is among articles (BM25 idf over whole articles); rare ideas decide what a question is about.</param>
/// <param name="InCorpus">Some alternative occurs in at least one article.</param>
internal sealed record Concept(string Key, ImmutableArray<ImmutableArray<string>> Alternatives, double Idf, bool InCorpus);

internal sealed record SectionHit(string Path, string Anchor, string Title, string Heading, string Body, float Score);

/// <summary>An article offered as an answer, with the section that matched best.</summary>
internal sealed record ArticleHit(string Path, string Title, double Score, SectionHit Section);

/// <summary>The result of a search: ranked articles, and whether they are good enough to offer (else the bot says so).</summary>
/// <param name="Confidence">How sure the search is that the best article answers the question (coverage plus match strength; answerable from 0.53).</param>
internal sealed record SearchOutcome(ImmutableArray<ArticleHit> Articles, ImmutableArray<Concept> Concepts, double Confidence, bool Answerable)
{
    public static readonly SearchOutcome Nothing = new([], [], 0, false);

    /// <summary>The articles to offer: none when the question is not answerable from the knowledge base.</summary>
    public ImmutableArray<ArticleHit> Offered => Answerable ? Articles : [];
}

/// <summary>
/// Ranks articles for a chat question and decides whether the best of them answers it.
/// <list type="bullet">
/// <item>The question is analysed like the articles; jargon is expanded with the synonyms file; a word the knowledge base
/// never uses is corrected to its nearest known spelling (edit distance 1–2) when there is one.</item>
/// <item>Three BM25 rankings with field boosts: sections (heading trail, text), whole articles (headings, text), and
/// titles with paths. They are fused by reciprocal rank, so an article wins by having one section that matches closely or by covering the
/// question as a whole, without either scale dominating.</item>
/// <item>The best candidates are reranked by the idf-weighted share of the question's ideas their text contains and the
/// share their outline (title, headings, path) names.</item>
/// <item>Answerability is not a score threshold (BM25 scores are not comparable between questions): the best article
/// must contain most of the question's information, measured as the idf-weighted share of the question's ideas it
/// contains. A question about things the knowledge base never mentions (a VPN client, a data warehouse) fails that
/// even when common words match strongly.</item>
/// </list>
/// Never throws on odd input: questions are analysed, never parsed as query syntax.
/// </summary>
internal sealed partial class KnowledgeSearcher(KnowledgeAnalyzer analyzer, Synonyms synonyms, SearchTuning tuning)
{
    /// <summary>Questions longer than this are cut: the first part of a pasted log says what it is about.</summary>
    public const int MaxQuestionChars = 2000;

    private const int MaxConcepts = 32;

    private const int MinimumCompoundFrequency = 3;

    public SearchTuning Tuning => tuning;

    /// <param name="detailed">How many of the best hits get their section's text and heading (the rest only path and title).</param>
    /// <param name="vectorRanks">Articles ranked by embedding similarity to the question (best 1), when embeddings are on.</param>
    public SearchOutcome Search(IndexSearcher searcher, string? question, int top = 10, int detailed = 3, IReadOnlyDictionary<string, int>? vectorRanks = null)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            return SearchOutcome.Nothing;
        }

        var text = question.Length > MaxQuestionChars ? question[..MaxQuestionChars] : question;
        var reader = searcher.IndexReader;
        var articleCount = reader.GetDocCount(IndexFields.DocBody);
        if (articleCount <= 0)
        {
            return SearchOutcome.Nothing;
        }

        var concepts = Concepts(searcher, text, articleCount);
        if (concepts.IsEmpty || concepts.All(c => !c.InCorpus))
        {
            return new SearchOutcome([], concepts, 0, false);
        }

        var sectionTop = searcher.Search(Query(concepts, tuning.SectionFields), tuning.SectionDepth);
        var articleTop = searcher.Search(Query(concepts, tuning.ArticleFields), tuning.ArticleDepth);
        var titleTop = searcher.Search(Query(concepts, tuning.TitleFields), tuning.ArticleDepth);
        var cache = ReaderCache.For(searcher);
        var sections = RankByArticle(cache, sectionTop);
        var articles = RankByArticle(cache, articleTop);
        var titles = RankByArticle(cache, titleTop);

        // Reciprocal rank fusion: an article wins with one closely matching section, by covering the question as a whole,
        // or by being named after it, and no ranking's score scale dominates the others.
        const int Absent = int.MaxValue / 4;
        var vectors = vectorRanks ?? new Dictionary<string, int>();
        var fused = sections.Keys.Union(articles.Keys).Union(titles.Keys).Union(vectors.Keys.Where(cache.ArticleDoc.ContainsKey))
            .Select(path => (Path: path, Score:
                (tuning.SectionWeight / (tuning.RrfK + (sections.TryGetValue(path, out var s) ? s.Rank : Absent)))
                + (tuning.ArticleWeight / (tuning.RrfK + (articles.TryGetValue(path, out var a) ? a.Rank : Absent)))
                + (tuning.TitleWeight / (tuning.RrfK + (titles.TryGetValue(path, out var t) ? t.Rank : Absent)))
                + (tuning.VectorWeight / (tuning.RrfK + vectors.GetValueOrDefault(path, Absent)))))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Path, StringComparer.Ordinal)
            .Take(Math.Max(top, tuning.RerankDepth))
            .ToList();

        // Rerank by how much of the question each candidate covers (BM25 lets one rare word, repeated, outweigh the rest), and
        // by how much of it the candidate's outline names (a long page mentions many words in passing; its headings say what it is about).
        var bestFused = fused.Count == 0 ? 1 : fused[0].Score;
        var candidates = fused.Select(x => x.Path).Where(cache.ArticleDoc.ContainsKey).ToDictionary(p => p, p => cache.ArticleDoc[p], StringComparer.Ordinal);
        var coverage = Coverage(reader, concepts, candidates);
        var outline = OutlineCoverage(reader, concepts, candidates);

        var ranked = fused
            .Select(x => (x.Path, Score: (x.Score / bestFused)
                + (tuning.CoverageWeight * coverage.GetValueOrDefault(x.Path))
                + (tuning.OutlineCoverageWeight * outline.GetValueOrDefault(x.Path))))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Path, StringComparer.Ordinal)
            .Take(top);

        var hits = ImmutableArray.CreateBuilder<ArticleHit>(top);
        foreach (var (path, score) in ranked)
        {
            var title = cache.TitleOf.GetValueOrDefault(path, path);
            var section = hits.Count >= detailed
                ? new SectionHit(path, string.Empty, title, string.Empty, string.Empty, 0)
                : sections.TryGetValue(path, out var s) ? Section(searcher, s.Hit) : FirstSection(searcher, path);
            if (section is not null)
            {
                hits.Add(new ArticleHit(path, title, score, section));
            }
        }

        if (hits.Count == 0)
        {
            return new SearchOutcome([], concepts, 0, false);
        }

        // Answerable? Coverage of the best article (does it talk about what the question is about?) plus how strongly its best
        // section matches per unit of the question's information (BM25 made comparable between questions).
        var information = concepts.Sum(c => c.Idf);
        var bestSection = sections.TryGetValue(hits[0].Path, out var bs) ? bs.Hit.Score : 0f;
        var confidence = coverage.GetValueOrDefault(hits[0].Path) + (tuning.MatchStrengthWeight * bestSection / Math.Max(information, 1e-6));
        return new SearchOutcome(hits.ToImmutable(), concepts, confidence, confidence >= tuning.MinimumConfidence);
    }

    private static Dictionary<string, (int Rank, ScoreDoc Hit)> RankByArticle(ReaderCache cache, TopDocs top)
    {
        var ranks = new Dictionary<string, (int Rank, ScoreDoc Hit)>(StringComparer.Ordinal);
        foreach (var hit in top.ScoreDocs)
        {
            ranks.TryAdd(cache.PathOf[hit.Doc], (ranks.Count + 1, hit));
        }

        return ranks;
    }

    internal ImmutableArray<Concept> Concepts(IndexSearcher searcher, string text, int articleCount)
    {
        var reader = searcher.IndexReader;
        var words = Words().Matches(text).Select(m => m.Value).Take(MaxConcepts * 8).ToList();
        var concepts = new List<Concept>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        int Frequency(ImmutableArray<string> alternative) =>
            alternative.IsEmpty ? 0 : alternative.Min(t => reader.DocFreq(new Term(IndexFields.DocBody, t)));

        void Add(ImmutableArray<ImmutableArray<string>> alternatives)
        {
            alternatives = [.. alternatives.Where(a => !a.IsEmpty)];
            if (alternatives.IsEmpty || !seen.Add(string.Join(' ', alternatives[0])))
            {
                return;
            }

            var frequency = alternatives.Max(Frequency);
            if (frequency == 0 && alternatives.Length == 1 && alternatives[0].Length == 1
                && ReaderCache.For(searcher).Corrections.GetOrAdd(alternatives[0][0], t => Correction(searcher, t)) is { } corrected)
            {
                alternatives = [[corrected.Term]];
                frequency = corrected.Frequency;
            }

            concepts.Add(new Concept(string.Join(' ', alternatives[0]), alternatives, Idf(frequency, articleCount), frequency > 0));
        }

        for (var i = 0; i < words.Count;)
        {
            var consumed = 0;
            for (var n = Math.Min(Math.Max(synonyms.LongestPhrase, 3), words.Count - i); n >= 2 && consumed == 0; n--)
            {
                var span = string.Join(' ', words.Skip(i).Take(n));
                var terms = analyzer.Terms(span).ToImmutableArray();
                if (terms.IsEmpty)
                {
                    continue;
                }

                if (KnowledgeAnalyzer.StopWords.Contains(words[i]))
                {
                    continue; // "my app" is not "myapp"
                }

                var found = synonyms.For(string.Join(' ', terms));
                var joined = analyzer.Terms(string.Concat(words.Skip(i).Take(n)));
                if (!found.IsEmpty)
                {
                    Add([terms, .. found]);
                    consumed = n;
                }
                else if (joined.Count == 1 && reader.DocFreq(new Term(IndexFields.DocBody, joined[0])) >= MinimumCompoundFrequency)
                {
                    // "roll back", "log in", "out of sync": the docs write rollback, login, OutOfSync. Only words the
                    // knowledge base uses repeatedly count, so a one-off identifier such as "gitcommit" does not swallow "git commit".
                    Add(terms.Length > 1 ? [[joined[0]], terms] : [[joined[0]]]);
                    consumed = n;
                }
            }

            if (consumed == 0)
            {
                foreach (var term in analyzer.Terms(words[i]))
                {
                    var found = synonyms.For(term);
                    Add(found.IsEmpty ? [[term]] : [[term], .. found]);
                }

                consumed = 1;
            }

            i += consumed;
        }

        // The rarest ideas when there are too many, kept in the question's order (proximity pairs need it).
        return [.. concepts.Select((c, i) => (c, i)).OrderByDescending(x => x.c.Idf).Take(MaxConcepts).OrderBy(x => x.i).Select(x => x.c)];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}\p{M}._/'’-]*")]
    private static partial System.Text.RegularExpressions.Regex Words();

    internal static double Idf(int documentFrequency, int documentCount) =>
        Math.Log(1 + ((documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5)));

    /// <summary>The most used known term within one or two edits of an unknown one (typos such as "pasword").</summary>
    private static (string Term, int Frequency)? Correction(IndexSearcher searcher, string term)
    {
        if (term.Length < 5 || term.Any(char.IsDigit))
        {
            return null; // short words have too many neighbours ("wifi" is not "wiki")
        }

        var fuzzy = new FuzzyQuery(new Term(IndexFields.DocBody, term), term.Length >= 8 ? 2 : 1, prefixLength: 1)
        {
            MultiTermRewriteMethod = new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(8),
        };
        var rewritten = searcher.Rewrite(fuzzy);
        var candidates = rewritten switch
        {
            BooleanQuery b => b.Clauses.Select(c => c.Query).OfType<TermQuery>(),
            TermQuery t => [t],
            _ => [],
        };
        return candidates
            .Select(q => (Term: q.Term.Text, Boost: q.Boost, Frequency: searcher.IndexReader.DocFreq(q.Term)))
            .Where(x => x.Frequency > 0)
            .OrderByDescending(x => x.Boost)
            .ThenByDescending(x => x.Frequency)
            .Select(x => ((string Term, int Frequency)?)(x.Term, x.Frequency))
            .FirstOrDefault();
    }

    private BooleanQuery Query(ImmutableArray<Concept> concepts, ImmutableArray<(string Field, float Boost)> fields)
    {
        var query = new BooleanQuery(disableCoord: true);
        foreach (var concept in concepts.Where(c => c.InCorpus))
        {
            var dis = new DisjunctionMaxQuery(tuning.TieBreaker);
            foreach (var (field, boost) in fields)
            {
                for (var a = 0; a < concept.Alternatives.Length; a++)
                {
                    var alternative = concept.Alternatives[a];
                    Query clause;
                    if (alternative.Length == 1)
                    {
                        clause = new TermQuery(new Term(field, alternative[0]));
                    }
                    else
                    {
                        var phrase = new PhraseQuery { Slop = 1 };
                        foreach (var t in alternative)
                        {
                            phrase.Add(new Term(field, t));
                        }

                        clause = phrase;
                    }

                    clause.Boost = boost * (a == 0 ? 1f : tuning.SynonymWeight);
                    dis.Add(clause);
                }
            }

            query.Add(dis, Occur.SHOULD);
        }

        return query;
    }

    /// <summary>For each candidate article, the idf-weighted share of the question's ideas its text contains.</summary>
    internal static Dictionary<string, double> Coverage(IndexReader reader, ImmutableArray<Concept> concepts, IReadOnlyDictionary<string, int> candidates) =>
        Shares(reader, concepts, candidates, IndexFields.DocBody);

    /// <summary>For each candidate article, the idf-weighted share of the question's ideas named in its outline: title (with
    /// tags), headings and path. A page whose headings name what the question asks about is about it; one that only
    /// mentions it somewhere in its text may not be.</summary>
    internal static Dictionary<string, double> OutlineCoverage(IndexReader reader, ImmutableArray<Concept> concepts, IReadOnlyDictionary<string, int> candidates) =>
        Shares(reader, concepts, candidates, IndexFields.DocTitle, IndexFields.DocHeadings, IndexFields.DocPath);

    /// <summary>For each candidate article, the idf-weighted share of the question's ideas found in any of the fields. Each
    /// term's postings are walked once, in document order, over all candidates.</summary>
    private static Dictionary<string, double> Shares(IndexReader reader, ImmutableArray<Concept> concepts, IReadOnlyDictionary<string, int> candidates, params string[] fields)
    {
        var total = concepts.Sum(c => c.Idf);
        var byDoc = candidates.OrderBy(kv => kv.Value).ToList();
        var present = new double[byDoc.Count];
        var live = MultiFields.GetLiveDocs(reader);
        foreach (var concept in concepts.Where(c => c.InCorpus))
        {
            var has = new bool[byDoc.Count];
            foreach (var field in fields)
            {
                foreach (var alternative in concept.Alternatives)
                {
                    var all = Enumerable.Repeat(true, byDoc.Count).ToArray();
                    foreach (var term in alternative)
                    {
                        var docs = MultiFields.GetTermDocsEnum(reader, live, field, new BytesRef(term), DocsFlags.NONE);
                        var current = -1;
                        for (var i = 0; i < byDoc.Count; i++)
                        {
                            var target = byDoc[i].Value;
                            if (docs is not null && current < target)
                            {
                                current = docs.Advance(target);
                            }

                            all[i] &= docs is not null && current == target;
                        }
                    }

                    for (var i = 0; i < has.Length; i++)
                    {
                        has[i] |= all[i];
                    }
                }
            }

            for (var i = 0; i < has.Length; i++)
            {
                present[i] += has[i] ? concept.Idf : 0;
            }
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < byDoc.Count; i++)
        {
            result[byDoc[i].Key] = total <= 0 ? 0 : present[i] / total;
        }

        return result;
    }

    private static SectionHit Section(IndexSearcher searcher, ScoreDoc hit)
    {
        var doc = searcher.Doc(hit.Doc);
        return new SectionHit(
            doc.Get(IndexFields.Path, CultureInfo.InvariantCulture),
            doc.Get(IndexFields.Anchor, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(IndexFields.TitleStored, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(IndexFields.Heading, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(IndexFields.Body, CultureInfo.InvariantCulture) ?? string.Empty,
            hit.Score);
    }

    private static SectionHit? FirstSection(IndexSearcher searcher, string path)
    {
        var query = new BooleanQuery
        {
            { new TermQuery(new Term(IndexFields.Path, path)), Occur.MUST },
            { new TermQuery(new Term(IndexFields.Kind, IndexFields.SectionKind)), Occur.MUST },
        };
        var top = searcher.Search(query, 1);
        return top.ScoreDocs.Length == 0 ? null : Section(searcher, new ScoreDoc(top.ScoreDocs[0].Doc, 0));
    }
}

/// <summary>
/// The ranking's knobs, fixed in code. Chosen on the Argo CD dev set (../shared/kb-eval) from broad plateaus, not
/// per-question: each value's neighbours score within a question or two of it.
/// </summary>
internal sealed record SearchTuning
{
    public static readonly SearchTuning Default = new();

    /// <summary>A section by its heading trail (which starts with the article's title) and its text.</summary>
    public ImmutableArray<(string Field, float Boost)> SectionFields { get; init; } =
        [(IndexFields.Trail, 2f), (IndexFields.Body, 1f)];

    /// <summary>An article by all its headings and all its text; its title and path have their own ranking.</summary>
    public ImmutableArray<(string Field, float Boost)> ArticleFields { get; init; } =
        [(IndexFields.DocHeadings, 1f), (IndexFields.DocBody, 1f)];

    public ImmutableArray<(string Field, float Boost)> TitleFields { get; init; } =
        [(IndexFields.DocTitle, 1f), (IndexFields.DocPath, 1f)];

    /// <summary>A word counts once per idea, in its best field (a dis-max with no tie-breaker).</summary>
    public float TieBreaker { get; init; }

    public float SynonymWeight { get; init; } = 0.8f;

    public double RrfK { get; init; } = 10;

    public double SectionWeight { get; init; } = 0.85;

    public double ArticleWeight { get; init; } = 0.15;

    public double TitleWeight { get; init; } = 0.2;

    /// <summary>The embedding ranking's weight when <c>AI:EmbeddingModel</c> is set (as much as the section ranking).</summary>
    public double VectorWeight { get; init; } = 0.85;

    public int SectionDepth { get; init; } = 100;

    public int ArticleDepth { get; init; } = 100;

    public int RerankDepth { get; init; } = 30;

    public double CoverageWeight { get; init; } = 0.5;

    /// <summary>The weight of the share of the question named in an article's title, headings and path (0.1–0.3 score the
    /// same on the dev set and help or hold on both of its halves; 0.4 loses).</summary>
    public double OutlineCoverageWeight { get; init; } = 0.15;

    public double MatchStrengthWeight { get; init; } = 0.25;

    /// <summary>Below this confidence the bot says it has no good answer and offers a ticket.</summary>
    public double MinimumConfidence { get; init; } = 0.53;
}
