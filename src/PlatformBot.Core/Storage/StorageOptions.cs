using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "PlatformBot";

    /// <summary>The folder that holds <c>platformbot.db</c> and the knowledge index. Relative paths are relative to the working directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "PlatformBot:DataDirectory must name a folder for the database.")]
    public string DataDirectory { get; set; } = "data";

    public string DatabaseFileName { get; set; } = "platformbot.db";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));
}
