using System.IO.Compression;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace PlatformBot.Tests.Support;

/// <summary>The schemas in tests/schemas (copied to the output folder), loaded offline; see tests/schemas/README.md.</summary>
public static class SchemaFiles
{
    private static readonly Lazy<Task<JsonSchema>> TeamsManifest = new(() => LoadWithoutConstAsync(Path.Combine(Folder, "teams", "v1.30", "MicrosoftTeams.schema.json")));
    private static readonly Lazy<Task<JsonSchema>> AdaptiveCard = new(() => JsonSchema.FromFileAsync(Path.Combine(Folder, "adaptive-cards", "1.5.0", "adaptive-card.json")));

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "schemas");

    public static Task<JsonSchema> TeamsManifestAsync() => TeamsManifest.Value;

    public static Task<JsonSchema> AdaptiveCardAsync() => AdaptiveCard.Value;

    /// <summary>Validation errors, flattened to their leaves, as "Kind at path" lines.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, string json) => [.. Flatten(schema.Validate(json)).Select(e => $"{e.Kind} at {e.Path}")];

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child && child.Errors.Count > 0
            ? child.Errors.Values.SelectMany(Flatten).DefaultIfEmpty(e)
            : [e]);

    /// <summary>NJsonSchema ignores <c>const</c>; a one-value <c>enum</c> says the same and is checked.</summary>
    private static async Task<JsonSchema> LoadWithoutConstAsync(string path)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Rewrite(root, parentKey: null);
        return await JsonSchema.FromJsonAsync(root.ToJsonString(), path);
    }

    private static void Rewrite(JsonNode node, string? parentKey)
    {
        switch (node)
        {
            case JsonObject o:
                if (parentKey is not ("properties" or "definitions" or "patternProperties") && o["const"] is { } value)
                {
                    o.Remove("const");
                    o["enum"] = new JsonArray(value.DeepClone());
                }

                foreach (var (key, child) in o.ToList())
                {
                    if (child is not null && key is not ("enum" or "examples" or "default" or "required"))
                    {
                        Rewrite(child, key);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a.Where(c => c is not null))
                {
                    Rewrite(child!, parentKey: null);
                }

                break;
            default:
                break;
        }
    }
}

/// <summary>Just enough of PNG to check an icon: size, colour type, and every pixel's RGBA (all filter types).</summary>
public sealed record PngImage(int Width, int Height, int ColorType, byte[] Rgba)
{
    public static PngImage Read(byte[] file)
    {
        int BigEndian(int at) => (file[at] << 24) | (file[at + 1] << 16) | (file[at + 2] << 8) | file[at + 3];
        var width = BigEndian(16);
        var height = BigEndian(20);
        var colorType = file[25];
        using var idat = new MemoryStream();
        for (var at = 8; at < file.Length;)
        {
            var length = BigEndian(at);
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            if (type == "IDAT")
            {
                idat.Write(file, at + 8, length);
            }

            at += length + 12;
        }

        if (colorType != 6)
        {
            return new PngImage(width, height, colorType, []);
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * 4;
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var value = raw[(y * (stride + 1)) + 1 + x];
                var left = x >= 4 ? pixels[(y * stride) + x - 4] : 0;
                var up = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                var upLeft = x >= 4 && y > 0 ? pixels[((y - 1) * stride) + x - 4] : 0;
                pixels[(y * stride) + x] = (byte)(filter switch
                {
                    1 => value + left,
                    2 => value + up,
                    3 => value + ((left + up) / 2),
                    4 => value + Paeth(left, up, upLeft),
                    _ => value,
                });
            }
        }

        return new PngImage(width, height, colorType, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
