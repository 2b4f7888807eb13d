using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PlatformBot.Storage;

namespace PlatformBot.Features.Surveys;

/// <summary>
/// Who a response belongs to, as stored. Named runs store the person; anonymous runs store only HMAC-SHA256(key, run,
/// person), enough to count one answer per person and to let the person change it while the run is open. The key never
/// enters the database: it comes from <c>Surveys:AnonymityKey</c> or from a key file beside the database, so the file
/// alone cannot tell whose a hash is. At close the hashes are replaced by random ids.
/// </summary>
internal sealed class RespondentKeys
{
    public const string KeyFileName = "survey-anonymity.key";

    private readonly Lazy<byte[]> _key;

    public RespondentKeys(IOptions<SurveysOptions> surveys, IOptions<StorageOptions> storage)
    {
        _key = new Lazy<byte[]>(() => surveys.Value.AnonymityKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreate(Path.Combine(Path.GetDirectoryName(storage.Value.DatabasePath)!, KeyFileName)));
    }

    /// <summary>The respondent part of a response's id.</summary>
    public string RespondentOf(SurveyRun run, string userKey)
    {
        if (!run.Anonymous)
        {
            return userKey;
        }

        var mac = HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(run.Id + "\n" + userKey));
        return "h" + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    public string ResponseIdOf(SurveyRun run, string userKey) => SurveyResponse.IdOf(run.Id, RespondentOf(run, userKey));

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (existing.Length >= 32)
            {
                return existing;
            }
        }

        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return key;
    }
}
