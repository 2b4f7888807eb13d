using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// Writes a knowledge-base draft (Markdown with front matter) under the drafts folder, for review in git. Never overwrites:
/// a second draft with the same title gets a numbered name.
/// </summary>
internal sealed partial class KnowledgeDraftWriter(string folder, TimeProvider time)
{
    public string Write(string question, string answer, string author, string source)
    {
        Directory.CreateDirectory(folder);
        var today = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var slug = Slug(question);
        var path = Path.Combine(folder, $"{today}-{slug}.md");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{today}-{slug}-{n}.md");
        }

        var text = new StringBuilder()
            .Append("---\n")
            .Append("title: ").Append(Yaml(question)).Append('\n')
            .Append("tags: [draft]\n")
            .Append("owners: [").Append(Yaml(author)).Append("]\n")
            .Append("updated: ").Append(today).Append('\n')
            .Append("source: ").Append(Yaml(source)).Append('\n')
            .Append("---\n\n")
            .Append("# ").Append(question.ReplaceLineEndings(" ")).Append("\n\n")
            .Append(answer).Append('\n')
            .ToString();
        File.WriteAllText(path, text);
        return path;
    }

    private static string Slug(string text)
    {
        var slug = NonWord().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "draft" : slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }

    /// <summary>A double-quoted YAML scalar: the text can never close the front matter or start a new key.</summary>
    private static string Yaml(string value) =>
        "\"" + value.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}
