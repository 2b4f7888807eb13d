using System.Collections.Immutable;
using System.Text;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Knowledge;

/// <summary>A short extract of a section with the question's terms marked.</summary>
internal sealed record Snippet(ImmutableArray<(string Text, bool Match)> Parts)
{
    public string Plain => string.Concat(Parts.Select(p => p.Text));
}

/// <summary>
/// Picks the window of a section that holds the most (and rarest) of the question's ideas and marks the words that
/// matched; the words are matched by their analysed form, so "rollback" marks "rolling back" as the search did.
/// </summary>
internal static class Snippets
{
    public const int Width = 240;

    public static Snippet Make(KnowledgeAnalyzer analyzer, string text, ImmutableArray<Concept> concepts, int width = Width)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new Snippet([]);
        }

        var source = text.Length > 20_000 ? text[..20_000] : text;
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var concept in concepts)
        {
            foreach (var term in concept.Alternatives.SelectMany(a => a))
            {
                weights[term] = Math.Max(weights.GetValueOrDefault(term), Math.Max(concept.Idf, 0.1));
            }
        }

        var matches = analyzer.TermsWithOffsets(source).Where(t => weights.ContainsKey(t.Term)).ToList();
        var (start, end) = BestWindow(source, matches, weights, width);
        var window = matches.Where(m => m.Start >= start && m.End <= end).OrderBy(m => m.Start).ToList();

        var parts = ImmutableArray.CreateBuilder<(string, bool)>();
        if (start > 0)
        {
            parts.Add(("…", false));
        }

        var position = start;
        foreach (var match in window)
        {
            if (match.Start < position)
            {
                continue; // overlapping parts of one identifier (spec.replicas and replicas)
            }

            if (match.Start > position)
            {
                parts.Add((Flatten(source[position..match.Start]), false));
            }

            parts.Add((Flatten(source[match.Start..match.End]), true));
            position = match.End;
        }

        if (position < end)
        {
            parts.Add((Flatten(source[position..end]), false));
        }

        if (end < source.Length)
        {
            parts.Add(("…", false));
        }

        return new Snippet(parts.ToImmutable());
    }

    /// <summary>Marked words in bold; the text itself is escaped by every renderer (it is document text, not our markup).</summary>
    public static RichText ToRichText(Snippet snippet) =>
        new([.. snippet.Parts.Where(p => p.Text.Length > 0).Select(p => new Inline(p.Text, p.Match ? TextStyle.Bold : TextStyle.None, IsUserText: true))]);

    public static string ToTerminal(Snippet snippet) =>
        string.Concat(snippet.Parts.Select(p => p.Match ? "[" + p.Text + "]" : p.Text));

    private static (int Start, int End) BestWindow(string text, List<(string Term, int Start, int End)> matches, Dictionary<string, double> weights, int width)
    {
        if (text.Length <= width)
        {
            return (0, text.Length);
        }

        var bestStart = 0;
        var bestScore = -1.0;
        for (var i = 0; i < matches.Count; i++)
        {
            var windowStart = Math.Max(0, matches[i].Start - (width / 6));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var score = 0.0;
            for (var j = i; j < matches.Count && matches[j].End <= windowStart + width; j++)
            {
                if (seen.Add(matches[j].Term))
                {
                    score += weights[matches[j].Term];
                }
            }

            if (score > bestScore)
            {
                bestScore = score;
                bestStart = windowStart;
            }
        }

        var start = WordStart(text, bestStart);
        var end = WordEnd(text, Math.Min(text.Length, start + width));
        return (start, end);
    }

    private static int WordStart(string text, int index)
    {
        if (index <= 0)
        {
            return 0;
        }

        var space = text.LastIndexOfAny([' ', '\n'], index);
        return space < 0 || index - space > 20 ? index : space + 1;
    }

    private static int WordEnd(string text, int index)
    {
        if (index >= text.Length)
        {
            return text.Length;
        }

        var space = text.IndexOfAny([' ', '\n'], index);
        return space < 0 || space - index > 20 ? index : space;
    }

    private static string Flatten(string text)
    {
        var sb = new StringBuilder(text.Length);
        var lastSpace = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space || !lastSpace)
            {
                sb.Append(space ? ' ' : c);
            }

            lastSpace = space;
        }

        return sb.ToString();
    }
}
