using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LiteDB;

namespace PlatformBot.Storage;

/// <summary>
/// PNG images the bot renders (survey charts, insights), kept in the database's file storage and served by the host at
/// <c>GET /images/{id}.png</c>. Ids are random (128 bits), so an image is reachable only by whoever was shown its link.
/// </summary>
public interface IImageStore
{
    /// <summary>Stores a PNG; returns its id.</summary>
    string Save(ReadOnlySpan<byte> png, string description);

    /// <summary>The PNG's bytes, or null when there is no such image.</summary>
    byte[]? Find(string id);

    bool Delete(string id);
}

public static partial class ImageUrls
{
    /// <summary>The site-relative URL of an image (channels that need an absolute URL prefix their public base URL).</summary>
    public static string For(string id) => $"/images/{id}.png";

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-f0-9]{32}$")]
    private static partial Regex IdPattern();
}

internal sealed class LiteDbImageStore(PlatformDatabase database) : IImageStore
{
    private const string Prefix = "$/images/";

    public string Save(ReadOnlySpan<byte> png, string description)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var stream = new MemoryStream(png.ToArray(), writable: false);
        database.Database.FileStorage.Upload(Prefix + id, id + ".png", stream, new BsonDocument { ["description"] = description });
        return id;
    }

    public byte[]? Find(string id)
    {
        if (!ImageUrls.IsValidId(id) || database.Database.FileStorage.FindById(Prefix + id) is not { } file)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        return buffer.ToArray();
    }

    public bool Delete(string id) => ImageUrls.IsValidId(id) && database.Database.FileStorage.Delete(Prefix + id);
}
