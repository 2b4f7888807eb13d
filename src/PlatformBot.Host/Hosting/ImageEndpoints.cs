using PlatformBot.Storage;

namespace PlatformBot.Host.Hosting;

/// <summary>Serves the PNGs features render (survey charts) from the database's file storage.</summary>
internal static class ImageEndpoints
{
    public static void MapImages(this WebApplication app) =>
        app.MapGet("/images/{id}.png", (string id, IImageStore images, HttpResponse response) =>
        {
            if (!ImageUrls.IsValidId(id) || images.Find(id) is not { } png)
            {
                return Results.NotFound();
            }

            // An image never changes once stored: its id is new for every rendering.
            response.Headers.CacheControl = "private, max-age=31536000, immutable";
            response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(png, "image/png");
        });
}
