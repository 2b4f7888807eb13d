using System.Collections.Immutable;

namespace PlatformBot.Features.Knowledge;

/// <summary>A Markdown page of the knowledge base, split into sections by heading.</summary>
/// <param name="Path">Relative to its knowledge folder, with <c>/</c> separators (<c>user-guide/helm.md</c>).</param>
public sealed record Article(string Path, string Title, ImmutableArray<Section> Sections)
{
    public ImmutableArray<string> Tags { get; init; } = [];

    public ImmutableArray<string> Owners { get; init; } = [];

    /// <summary>The front matter's <c>updated</c> date, when it has one.</summary>
    public DateOnly? Updated { get; init; }

    /// <summary>Everything the article says, for document-level ranking.</summary>
    public string Body => string.Join("\n", Sections.Select(s => s.Text));
}

/// <summary>A part of an article under one heading.</summary>
/// <param name="Anchor">The heading's anchor as MkDocs and GitHub write it (empty for the text before the first heading).</param>
/// <param name="Heading">The heading's text (the article's title for its first section).</param>
/// <param name="Trail">The headings above it and its own, outermost first, joined for indexing.</param>
/// <param name="Text">The section's text with Markdown markup removed.</param>
public sealed record Section(string Anchor, string Heading, string Trail, string Text);
