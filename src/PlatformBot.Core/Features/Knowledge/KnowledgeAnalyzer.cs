using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// English analysis for articles and questions alike: Unicode word splitting, identifiers split at dots, slashes and
/// hyphens (keeping the whole too, so <c>spec.replicas</c> matches both ways), lower case, a stop list that includes the
/// words people wrap questions in ("how do I", "can we", "anyone know"), and Porter stemming.
/// </summary>
internal sealed class KnowledgeAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Bumped whenever analysis or the index layout changes, so an index built by an older version is rebuilt rather than mixed.</summary>
    public const int AnalysisVersion = 2;

    // The Snowball English stop list plus chat filler; words that carry meaning in ops questions (down, off, up, not) stay.
    private static readonly string[] StopWordList =
    [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
        "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
        "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "myself", "nor", "of", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "own",
        "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
        "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "yourself", "yourselves", "im", "ive", "id", "dont", "doesnt", "didnt", "cant", "isnt", "wont", "whats",
        "hi", "hello", "hey", "thanks", "thank", "please", "pls", "plz", "anyone", "someone", "somebody", "know", "way",
        "want", "wants", "need", "needs", "like", "get", "getting", "got", "also", "still", "really", "ok", "okay", "help",
        "thing", "things", "stuff", "lol", "u", "ur", "us", "let", "lets", "make", "possible", "tell",
    ];

    public static CharArraySet StopWords { get; } = new(Version, StopWordList, ignoreCase: true);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader) { MaxTokenLength = 64 };
        TokenStream stream = new EnglishPossessiveFilter(Version, source);
        stream = new WordDelimiterFilter(
            Version,
            stream,
            WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS | WordDelimiterFlags.PRESERVE_ORIGINAL
                | WordDelimiterFlags.STEM_ENGLISH_POSSESSIVE,
            protWords: null);
        stream = new LowerCaseFilter(Version, stream);
        stream = new StopFilter(Version, stream, StopWords);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    /// <summary>The analysed terms of a text, in order (duplicates kept).</summary>
    public IReadOnlyList<string> Terms(string text, string field = "body")
    {
        var terms = new List<string>();
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    /// <summary>Each analysed term with the character span it came from, for highlighting.</summary>
    public IReadOnlyList<(string Term, int Start, int End)> TermsWithOffsets(string text, string field = "body")
    {
        var terms = new List<(string, int, int)>();
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        }

        stream.End();
        return terms;
    }
}
