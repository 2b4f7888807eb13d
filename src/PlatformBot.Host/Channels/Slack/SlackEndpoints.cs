using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// <c>POST /slack/events</c>, <c>/slack/commands</c> and <c>/slack/interactivity</c>. Each accepts every kind, told apart
/// by content type and payload as Bolt does, so an app with one Request URL for everything works. Every request is
/// verified (size, then signature and timestamp) before anything is parsed; refusals are a bare 401 or 413.
/// </summary>
internal static partial class SlackEndpoints
{
    public static void MapSlackEndpoints(this WebApplication app)
    {
        app.MapPost("/slack/events", HandleAsync);
        app.MapPost("/slack/commands", HandleAsync);
        app.MapPost("/slack/interactivity", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SlackInbound inbound, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var slack = options.Value;
        var request = http.Request;
        if (request.ContentLength > slack.MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadAsync(request.Body, slack.MaxBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!SlackSignature.IsValid(
                slack.SigningSecret!,
                request.Headers["X-Slack-Request-Timestamp"],
                request.Headers["X-Slack-Signature"],
                body,
                time.GetUtcNow(),
                slack.TimestampTolerance))
        {
            LogRefused(loggers.CreateLogger(typeof(SlackEndpoints)), request.Path);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var contentType = request.ContentType ?? string.Empty;
        JsonObject? ack;
        try
        {
            if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                switch (SlackTranslator.Str(root, "type"))
                {
                    case "url_verification":
                        return Results.Json(new { challenge = SlackTranslator.Str(root, "challenge") });
                    case "event_callback":
                        ack = await inbound.AcceptAsync(SlackDeliveryKind.Event, root, Encoding.UTF8.GetString(body));
                        break;
                    default:
                        return Results.Ok(); // app_rate_limited and other notices
                }
            }
            else
            {
                var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
                if (form.TryGetValue("payload", out var payload))
                {
                    var json = payload.ToString();
                    using var document = JsonDocument.Parse(json);
                    ack = await inbound.AcceptAsync(SlackDeliveryKind.Interaction, document.RootElement, json);
                }
                else if (form.ContainsKey("command"))
                {
                    var fields = new JsonObject();
                    foreach (var (key, value) in form)
                    {
                        fields[key] = value.ToString();
                    }

                    var json = fields.ToJsonString();
                    using var document = JsonDocument.Parse(json);
                    ack = await inbound.AcceptAsync(SlackDeliveryKind.Command, document.RootElement, json);
                }
                else
                {
                    return Results.Ok(); // ssl_check=1 and anything else signed that carries no work
                }
            }
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        return ack is null ? Results.Ok() : Results.Text(ack.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>The body, or null when it is longer than the limit (a lying or missing Content-Length included).</summary>
    private static async Task<byte[]?> ReadAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: bad signature or timestamp")]
    private static partial void LogRefused(ILogger logger, string path);
}
