using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;

namespace PlatformBot.Features.Knowledge;

/// <summary>One Markdown file of a knowledge folder, with the hash of its bytes (what decides whether it needs reindexing).</summary>
/// <param name="Path">Relative to its folder with <c>/</c> separators; the key of the article everywhere.</param>
internal sealed record SourceFile(string Folder, string Path, string FullPath, string Hash);

/// <summary>Finds the articles in the knowledge folders: every <c>*.md</c> below them except the excluded patterns.</summary>
internal static class KnowledgeSources
{
    /// <summary>Metadata and work in progress rather than articles.</summary>
    public static readonly IReadOnlyList<string> DefaultExclude = ["PROVENANCE.md", "drafts/*", ".*/*"];

    public static IReadOnlyList<SourceFile> Enumerate(IEnumerable<string> folders, IReadOnlyList<string> exclude)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<SourceFile>();
        foreach (var folder in folders.Select(System.IO.Path.GetFullPath).Where(Directory.Exists))
        {
            foreach (var full in Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = RelativePath(folder, full);
                if (IsExcluded(relative, exclude) || !seen.Add(relative))
                {
                    continue;
                }

                files.Add(new SourceFile(folder, relative, full, HashOf(full)));
            }
        }

        return files;
    }

    public static string RelativePath(string folder, string full) =>
        System.IO.Path.GetRelativePath(folder, full).Replace('\\', '/');

    /// <summary>A pattern without a slash matches a file name anywhere; with one, the relative path (<c>*</c> spans folders).</summary>
    public static bool IsExcluded(string relativePath, IReadOnlyList<string> exclude) =>
        exclude.Any(pattern => pattern.Contains('/', StringComparison.Ordinal)
            ? FileSystemName.MatchesSimpleExpression(pattern, relativePath, ignoreCase: true)
            : FileSystemName.MatchesSimpleExpression(pattern, System.IO.Path.GetFileName(relativePath), ignoreCase: true));

    public static string HashOf(string fullPath)
    {
        using var stream = File.OpenRead(fullPath);
        return Convert.ToHexString(SHA256.HashData(stream))[..24];
    }

    public static string HashOfText(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
