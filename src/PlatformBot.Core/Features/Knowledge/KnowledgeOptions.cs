using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Features.Knowledge;

public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    public const string DefaultSynonymsFile = "kb/synonyms.txt";

    public const string DefaultFolder = "kb";

    /// <summary>Folders of Markdown articles (<c>kb</c> when none is set); relative paths are relative to the working directory.</summary>
    public string[] Folders { get; set; } = [];

    /// <summary>More patterns of files that are not articles, besides <c>PROVENANCE.md</c> and <c>drafts/</c>
    /// (see <see cref="KnowledgeSources.IsExcluded"/>).</summary>
    public string[] Exclude { get; set; } = [];

    internal IReadOnlyList<string> FolderList => Folders.Length > 0 ? Folders : [DefaultFolder];

    internal IReadOnlyList<string> ExcludeList => [.. KnowledgeSources.DefaultExclude, .. Exclude];

    /// <summary>Where the articles are published (<c>https://docs.example.com/</c>); links then point there, else they show the path.</summary>
    [Url]
    public string? BaseUrl { get; set; }

    public string SynonymsFile { get; set; } = DefaultSynonymsFile;

    /// <summary>A question counts as solved when its asker filed no ticket on it within this time after an answer.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan SolvedWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Articles whose <c>updated</c> date is older than this are listed for their owners.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Watch the folders and update the index while running.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Articles shown per answer.</summary>
    [Range(1, 10)]
    public int AnswerCount { get; set; } = 3;
}
