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
        var text = new StringBuilder()
            .Append("---\n")
            .Append("title: ").Append(Yaml(question)).Append('\n')
            .Append("tags: [draft]\n")
            .Append("owners: [").Append(Yaml(author)).Append("]\n")
            .Append("updated: ").Append(today).Append('\n')
            .Append("source: ").Append(Yaml(source)).Append('\n')
            .Append("---\n\n")
            .Append("# ").Append(Markdown(question.ReplaceLineEndings(" "))).Append("\n\n")
            .Append(answer).Append('\n')
            .ToString();
        var path = Path.Combine(folder, $"{today}-{slug}.md");
        for (var n = 2; File.Exists(path); n++)
        {
            if (File.ReadAllText(path) == text)
            {
                return path; // this very draft, written by a first run of the same work (a batch that rolled back)
            }

            path = Path.Combine(folder, $"{today}-{slug}-{n}.md");
        }

        File.WriteAllText(path, text);
        return path;
    }

    private static string Slug(string text)
    {
        var slug = NonWord().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "draft" : slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }

    /// <summary>
    /// User text as literal Markdown: every character Markdown, HTML or a mention gives meaning to inline (<c>\ ` * _ [ ] ! | ~ # @</c>)
    /// is backslash-escaped, <c>&amp; &lt; &gt;</c> become entities (no HTML, no comment that hides the rest of the file), and a
    /// line cannot open a block (list, heading, quote, fence, table, thematic break, setext underline, indented code):
    /// its leading spaces go and a leading <c>- + = :</c> or <c>1.</c> is escaped. Control characters are dropped; line breaks
    /// stay.
    /// </summary>
    public static string Markdown(string text)
    {
        var lines = new List<string>();
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var c in raw.TrimStart())
            {
                line.Append(c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '\\' or '`' or '*' or '_' or '[' or ']' or '!' or '|' or '~' or '#' or '@' => "\\" + c,
                    '\t' => " ",
                    _ when char.IsControl(c) => string.Empty,
                    _ => c.ToString(),
                });
            }

            var escaped = line.ToString().TrimEnd();
            if (escaped.Length > 0 && escaped[0] is '-' or '+' or '=' or ':')
            {
                escaped = "\\" + escaped;
            }
            else if (OrderedListMarker().Match(escaped) is { Success: true } marker)
            {
                escaped = escaped[..(marker.Length - 1)] + "\\" + escaped[(marker.Length - 1)..];
            }

            lines.Add(escaped);
        }

        return string.Join('\n', lines).Trim('\n');
    }

    /// <summary>Escaped user text as a block quote: every line quoted (a backslash keeps its line break), blank lines
    /// included, so nothing leaves the quote.</summary>
    public static string Quote(string text)
    {
        var lines = Markdown(text).Split('\n');
        return string.Join('\n', lines.Select((l, i) => l.Length == 0 ? ">" : i + 1 < lines.Length && lines[i + 1].Length > 0 ? $"> {l}\\" : $"> {l}"));
    }

    /// <summary>A double-quoted YAML scalar: the text can never close the front matter or start a new key.</summary>
    private static string Yaml(string value) =>
        "\"" + value.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"^\d{1,9}[.)]")]
    private static partial Regex OrderedListMarker();
}
