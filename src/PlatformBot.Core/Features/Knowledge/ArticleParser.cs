using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PlatformBot.Features.Knowledge;

/// <summary>
/// Reads a Markdown page: YAML front matter (<c>title</c>, <c>tags</c>, <c>owners</c>, <c>updated</c>), the title (front
/// matter, else the first H1 outside fenced code, else the file name) and sections split at every heading. Pure.
/// </summary>
internal static partial class ArticleParser
{
    public static Article Parse(string path, string markdown)
    {
        var (frontMatter, body) = SplitFrontMatter(markdown);
        body = HtmlComment().Replace(body, " "); // hidden on the published page: never indexed, searched or quoted
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        var sections = ImmutableArray.CreateBuilder<Section>();
        var trail = new List<(int Level, string Text)>();
        string? firstH1 = null;
        var currentHeading = string.Empty;
        var currentAnchor = string.Empty;
        var text = new StringBuilder();
        string? fence = null;

        void Flush()
        {
            var clean = CleanText(text.ToString());
            if (clean.Length > 0 || currentHeading.Length > 0)
            {
                sections.Add(new Section(currentAnchor, currentHeading, string.Join(" / ", trail.Select(t => t.Text)), clean));
            }

            text.Clear();
        }

        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }
                else
                {
                    text.Append(line).Append('\n');
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            var heading = HeadingLine().Match(line);
            if (!heading.Success)
            {
                text.Append(line).Append('\n');
                continue;
            }

            Flush();
            var level = heading.Groups[1].Length;
            var (headingText, anchor) = HeadingAndAnchor(heading.Groups[2].Value);
            if (level == 1 && firstH1 is null)
            {
                firstH1 = headingText;
            }

            trail.RemoveAll(t => t.Level >= level);
            trail.Add((level, headingText));
            currentHeading = headingText;
            currentAnchor = anchor;
        }

        Flush();

        var title = Scalar(frontMatter, "title") ?? firstH1 ?? TitleFromPath(path);
        var result = sections.ToImmutable();
        if (result.Length > 0 && result[0].Heading.Length == 0)
        {
            result = result.SetItem(0, result[0] with { Heading = title, Trail = title });
        }

        return new Article(path, title, result.IsEmpty ? [new Section(string.Empty, title, title, string.Empty)] : result)
        {
            Tags = List(frontMatter, "tags"),
            Owners = List(frontMatter, "owners"),
            Updated = DateOnly.TryParse(Scalar(frontMatter, "updated"), CultureInfo.InvariantCulture, out var updated) ? updated : null,
        };
    }

    /// <summary>The anchor MkDocs and GitHub give a heading: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static string Slug(string heading)
    {
        var sb = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('-');
            }
        }

        return sb.ToString();
    }

    private static (string Text, string Anchor) HeadingAndAnchor(string raw)
    {
        var text = raw.Trim().TrimEnd('#').Trim();
        var attribute = AnchorAttribute().Match(text);
        if (attribute.Success)
        {
            text = text[..attribute.Index].Trim();
            return (CleanInline(text), attribute.Groups[1].Value);
        }

        var clean = CleanInline(text);
        return (clean, Slug(clean));
    }

    private static (YamlMappingNode? FrontMatter, string Body) SplitFrontMatter(string markdown)
    {
        var text = markdown.TrimStart('\uFEFF');
        if (!text.StartsWith("---", StringComparison.Ordinal))
        {
            return (null, text);
        }

        var firstBreak = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstBreak < 0 || text[..firstBreak].Trim() != "---")
        {
            return (null, text);
        }

        var end = FrontMatterEnd().Match(text, firstBreak);
        if (!end.Success)
        {
            return (null, text);
        }

        var yaml = end.Index > firstBreak ? text[(firstBreak + 1)..end.Index] : string.Empty; // "---\n---": empty front matter
        var body = text[(end.Index + end.Length)..];
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return (stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode, body);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return (null, body); // broken front matter: the page still counts, without its metadata
        }
    }

    private static string? Scalar(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value.Trim()
            : null;

    private static ImmutableArray<string> List(YamlMappingNode? map, string key)
    {
        if (map is null || !map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return [];
        }

        return node switch
        {
            YamlSequenceNode seq => [.. seq.Children.OfType<YamlScalarNode>().Select(s => s.Value?.Trim() ?? string.Empty).Where(s => s.Length > 0)],
            YamlScalarNode { Value: { } value } => [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => [],
        };
    }

    private static string TitleFromPath(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path).Replace('-', ' ').Replace('_', ' ');
        return name.Length == 0 ? path : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>Markdown to plain text: links keep their label, images and HTML tags and include directives go.</summary>
    internal static string CleanText(string markdown)
    {
        var text = Image().Replace(markdown, string.Empty);
        text = Link().Replace(text, "$1");
        text = Include().Replace(text, string.Empty);
        text = HtmlTag().Replace(text, " ");
        text = Emphasis().Replace(text, " ");
        text = Spaces().Replace(text, " ");
        return Blank().Replace(text, "\n").Trim();
    }

    private static string CleanInline(string markdown) => CleanText(markdown).Replace("\n", " ", StringComparison.Ordinal);

    [GeneratedRegex(@"^ {0,3}(#{1,6})[ \t]+(.+?)\s*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"\{\s*#([A-Za-z0-9_\-]+)[^}]*\}\s*$")]
    private static partial Regex AnchorAttribute();

    [GeneratedRegex(@"\n---[ \t]*(\r?\n|$)")]
    private static partial Regex FrontMatterEnd();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\{![^}]*!\}")]
    private static partial Regex Include();

    [GeneratedRegex(@"<[^>\n]{1,200}>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"(\*\*|__|`+|^\s*[>!?]{1,3}\s*|^\s*[-*+]\s+|\|)", RegexOptions.Multiline)]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n\s*\n+")]
    private static partial Regex Blank();
}
