using System.Collections.Immutable;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// Platform jargon in the Solr synonyms format: <c>k8s, kubernetes</c> (all equivalent) or <c>ci =&gt; continuous
/// integration</c> (one way). Applied to questions only, so editing the file needs no reindex. Phrases are kept as analysed
/// term sequences.
/// </summary>
internal sealed class Synonyms
{
    public static readonly Synonyms Empty = new(ImmutableDictionary<string, ImmutableArray<ImmutableArray<string>>>.Empty);

    private readonly ImmutableDictionary<string, ImmutableArray<ImmutableArray<string>>> _byPhrase;

    private Synonyms(ImmutableDictionary<string, ImmutableArray<ImmutableArray<string>>> byPhrase)
    {
        _byPhrase = byPhrase;
        LongestPhrase = byPhrase.Keys.Select(k => k.Split(' ').Length).DefaultIfEmpty(0).Max();
    }

    public int Count => _byPhrase.Count;

    public int LongestPhrase { get; }

    public static Synonyms Parse(string text, KnowledgeAnalyzer analyzer)
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        void Add(string from, string to)
        {
            if (from.Length == 0 || to.Length == 0 || from == to)
            {
                return;
            }

            if (!map.TryGetValue(from, out var set))
            {
                map[from] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(to);
        }

        string Normalize(string phrase) => string.Join(' ', analyzer.Terms(phrase));

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment].Trim();
            }

            if (line.Length == 0)
            {
                continue;
            }

            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            if (arrow >= 0)
            {
                var left = Split(line[..arrow]).Select(Normalize).ToList();
                var right = Split(line[(arrow + 2)..]).Select(Normalize).ToList();
                foreach (var l in left)
                {
                    foreach (var r in right)
                    {
                        Add(l, r);
                    }
                }
            }
            else
            {
                var group = Split(line).Select(Normalize).Distinct(StringComparer.Ordinal).ToList();
                foreach (var a in group)
                {
                    foreach (var b in group)
                    {
                        Add(a, b);
                    }
                }
            }
        }

        return new Synonyms(map.ToImmutableDictionary(
            kv => kv.Key,
            kv => kv.Value.Select(p => p.Split(' ').ToImmutableArray()).ToImmutableArray(),
            StringComparer.Ordinal));
    }

    public static Synonyms Load(string? path, KnowledgeAnalyzer analyzer) =>
        path is not null && File.Exists(path) ? Parse(File.ReadAllText(path), analyzer) : Empty;

    /// <summary>The alternatives for an analysed phrase (space-separated terms), if it is in the file.</summary>
    public ImmutableArray<ImmutableArray<string>> For(string phrase) =>
        _byPhrase.TryGetValue(phrase, out var alternatives) ? alternatives : [];

    private static string[] Split(string part) =>
        part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
