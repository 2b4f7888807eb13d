using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization;

namespace PlatformBot.Conversations;

[Flags]
public enum TextStyle
{
    None = 0,
    Bold = 1,
    Italic = 2,
    Code = 4,
}

/// <summary>
/// One run of text. Renderers escape every run for their channel; <see cref="IsUserText"/> marks text that came
/// from a person (a ticket title, a question) so that a renderer never lets it become markup, a mention or a link.
/// </summary>
public sealed record Inline(string Text, TextStyle Style = TextStyle.None, bool IsUserText = false)
{
    /// <summary>A link's target (http or https only); the run's text is its label.</summary>
    public string? Url { get; init; }

    /// <summary>A mention of a person, rendered natively by channels that can ping.</summary>
    public UserRef? Mention { get; init; }
}

/// <summary>
/// Text in a small Markdown subset (<c>*bold*</c>, <c>_italic_</c>, <c>`code`</c>, <c>[label](url)</c>, line breaks),
/// kept as runs so that what a user wrote can never be read as markup. Build it with <see cref="Md"/>:
/// <c>Md.Text($"*{ticket.Id}* {ticket.Summary}")</c>: literal parts are our markup, interpolated strings are user text.
/// </summary>
public sealed record RichText(ImmutableArray<Inline> Runs)
{
    public static readonly RichText Empty = new(ImmutableArray<Inline>.Empty);

    [JsonIgnore]
    public bool IsEmpty => Runs.IsDefaultOrEmpty || Runs.All(r => r.Text.Length == 0);

    /// <summary>The text without markup, for search, notifications and screen readers.</summary>
    public string ToPlainText()
    {
        if (Runs.IsDefaultOrEmpty)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var run in Runs)
        {
            sb.Append(run.Mention is { } m ? "@" + m.Name : run.Text);
        }

        return sb.ToString();
    }

    public static RichText User(string text) => new([new Inline(text, IsUserText: true)]);

    public static RichText Plain(string text) => new([new Inline(text)]);

    public RichText Append(RichText other) => new(Runs.AddRange(other.Runs));

    public override string ToString() => ToPlainText();
}

/// <summary>Markup we wrote ourselves, to interpolate into <see cref="Md.Text"/> unescaped.</summary>
public readonly record struct RawMarkdown(string Markdown);

/// <summary>A link to interpolate into <see cref="Md.Text"/>; the label is user text unless it is ours.</summary>
public readonly record struct Link(string Url, string Label, bool LabelIsUserText = true);

/// <summary>A person to mention, interpolated into <see cref="Md.Text"/>.</summary>
public readonly record struct Mention(UserRef User);

public static class Md
{
    /// <summary>Builds rich text: literal parts are Markdown-subset markup, interpolated values are user text.</summary>
    public static RichText Text(MarkdownInterpolation text) => text.Build();

    /// <summary>Parses trusted Markdown-subset markup (our own strings only).</summary>
    public static RichText Parse(string markdown) => MarkdownParser.Parse(markdown, []);

    public static RawMarkdown Raw(string markdown) => new(markdown);

    public static Link Link(string url, string label, bool labelIsUserText = true) => new(url, label, labelIsUserText);

    public static Mention Mention(UserRef user) => new(user);

    /// <summary>Joins lines of rich text with line breaks.</summary>
    public static RichText Lines(IEnumerable<RichText> lines)
    {
        var builder = ImmutableArray.CreateBuilder<Inline>();
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
            {
                builder.Add(new Inline("\n"));
            }

            builder.AddRange(line.Runs);
            first = false;
        }

        return new RichText(builder.ToImmutable());
    }
}

[InterpolatedStringHandler]
public struct MarkdownInterpolation
{
    private readonly StringBuilder _template;
    private readonly List<object?> _holes;

    public MarkdownInterpolation(int literalLength, int formattedCount)
    {
        _template = new StringBuilder(literalLength + (formattedCount * 2));
        _holes = new List<object?>(formattedCount);
    }

    public readonly void AppendLiteral(string literal) => _template.Append(literal);

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format)
    {
        object? hole = value switch
        {
            null => string.Empty,
            RichText or RawMarkdown or Link or Mention => value,
            IFormattable f => f.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (hole is RawMarkdown raw)
        {
            _template.Append(raw.Markdown);
            return;
        }

        _template.Append(MarkdownParser.HoleMarker(_holes.Count));
        _holes.Add(hole);
    }

    internal readonly RichText Build() => MarkdownParser.Parse(_template.ToString(), _holes);
}

internal static class MarkdownParser
{
    // Holes are marked by private-use characters in the template; user text never passes through the parser.
    private const char FirstMarker = '\uE000';
    private const int MaxHoles = 0x1000;

    public static string HoleMarker(int index) =>
        index < MaxHoles ? ((char)(FirstMarker + index)).ToString() : throw new InvalidOperationException("Too many holes.");

    private static bool IsMarker(char c) => c >= FirstMarker && c < FirstMarker + MaxHoles;

    public static RichText Parse(string template, IReadOnlyList<object?> holes)
    {
        var runs = ImmutableArray.CreateBuilder<Inline>();
        var style = TextStyle.None;
        var literal = new StringBuilder();

        void Flush()
        {
            if (literal.Length > 0)
            {
                runs.Add(new Inline(literal.ToString(), style));
                literal.Clear();
            }
        }

        void AddHole(object? hole, TextStyle holeStyle)
        {
            switch (hole)
            {
                case RichText rich:
                    foreach (var run in rich.Runs)
                    {
                        runs.Add(run with { Style = run.Style | holeStyle });
                    }

                    break;
                case Link link:
                    runs.Add(new Inline(link.Label, holeStyle, link.LabelIsUserText) { Url = SafeUrl(link.Url) });
                    break;
                case Mention mention:
                    runs.Add(new Inline("@" + mention.User.Name, holeStyle, IsUserText: true) { Mention = mention.User });
                    break;
                case string s when s.Length > 0:
                    runs.Add(new Inline(s, holeStyle, IsUserText: true));
                    break;
                default:
                    break;
            }
        }

        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (IsMarker(c))
            {
                Flush();
                AddHole(holes[c - FirstMarker], style);
                continue;
            }

            if ((style & TextStyle.Code) != 0 && c != '`')
            {
                literal.Append(c);
                continue;
            }

            switch (c)
            {
                case '\\' when i + 1 < template.Length && "*_`[\\".Contains(template[i + 1], StringComparison.Ordinal):
                    literal.Append(template[++i]);
                    break;
                case '*':
                    Flush();
                    style ^= TextStyle.Bold;
                    break;
                case '_' when IsBoundary(template, i):
                    Flush();
                    style ^= TextStyle.Italic;
                    break;
                case '`':
                    Flush();
                    style ^= TextStyle.Code;
                    break;
                case '[' when TryReadLink(template, i, holes, out var label, out var url, out var end):
                    Flush();
                    runs.Add(label with { Style = label.Style | style, Url = url });
                    i = end;
                    break;
                default:
                    literal.Append(c);
                    break;
            }
        }

        Flush();
        return new RichText(runs.ToImmutable());
    }

    private static bool IsBoundary(string s, int i)
    {
        var before = i == 0 ? ' ' : s[i - 1];
        var after = i + 1 >= s.Length ? ' ' : s[i + 1];
        return !char.IsLetterOrDigit(before) || !char.IsLetterOrDigit(after);
    }

    private static bool TryReadLink(string s, int start, IReadOnlyList<object?> holes, out Inline label, out string? url, out int end)
    {
        label = new Inline(string.Empty);
        url = null;
        end = start;
        var close = s.IndexOf("](", start + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var urlEnd = s.IndexOf(')', close + 2);
        if (urlEnd < 0)
        {
            return false;
        }

        var labelText = s[(start + 1)..close];
        var urlText = s[(close + 2)..urlEnd];
        label = ResolveText(labelText, holes);
        url = SafeUrl(ResolveText(urlText, holes).Text);
        end = urlEnd;
        return url is not null;
    }

    private static Inline ResolveText(string text, IReadOnlyList<object?> holes)
    {
        var sb = new StringBuilder();
        var user = false;
        foreach (var c in text)
        {
            if (IsMarker(c))
            {
                sb.Append(holes[c - FirstMarker]?.ToString());
                user = true;
            }
            else
            {
                sb.Append(c);
            }
        }

        return new Inline(sb.ToString(), IsUserText: user);
    }

    /// <summary>Only absolute http(s) links and site-relative paths become links; anything else (javascript:, data:) is dropped.</summary>
    internal static string? SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url : null;
}
