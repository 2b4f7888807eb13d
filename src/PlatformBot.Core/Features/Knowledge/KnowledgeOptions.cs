using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Features.Knowledge;

public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    public const string DefaultSynonymsFile = "kb/synonyms.txt";

    /// <summary>Folders of Markdown articles; relative paths are relative to the working directory.</summary>
    [MinLength(1)]
    public string[] Folders { get; set; } = ["kb"];

    /// <summary>Patterns of files that are not articles (see <see cref="KnowledgeSources.IsExcluded"/>).</summary>
    public string[] Exclude { get; set; } = [.. KnowledgeSources.DefaultExclude];

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

    /// <summary>Conversations where every question gets an answer, not only those addressed to the bot.</summary>
    public string[] SupportChannels { get; set; } = [];

    /// <summary>Watch the folders and update the index while running.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Articles shown per answer.</summary>
    [Range(1, 10)]
    public int AnswerCount { get; set; } = 3;
}
