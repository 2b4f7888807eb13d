using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// The Slack channel. The three secrets come only from environment variables (<c>Slack__SigningSecret</c>) or user
/// secrets; a JSON settings file that carries one stops the start (see <see cref="Hosting.SettingsFileSecrets"/>).
/// </summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string SectionName = "Slack";

    /// <summary>Verifies inbound HTTP requests. Without it the <c>/slack/*</c> endpoints are not mapped at all.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) for the Web API. Without it nothing is sent to Slack.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>). When set, Socket Mode is used.</summary>
    public string? AppToken { get; set; }

    /// <summary>The Web API's base URL; tests point it at a loopback fake.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Requests larger than this are refused with 413 before their signature is even computed.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>How far a request's timestamp may be from now, either way (Slack: 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a slash command or a modal submission may be worked on before the acknowledgement goes out anyway (Slack
    /// allows 3 s). Within it the answer rides on the acknowledgement; past it, it follows through <c>response_url</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:02.500")]
    public TimeSpan InlineBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long delivery ids (<c>event_id</c>, <c>envelope_id</c>) are remembered to drop retries.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00")]
    public TimeSpan DedupeRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Channel ids (<c>C…</c>) whose top-level messages are questions for the bot, without a mention.</summary>
    public List<string> SupportChannels { get; set; } = [];

    /// <summary>The reaction that files a ticket from a message (without colons).</summary>
    [Required(AllowEmptyStrings = false)]
    public string TicketEmoji { get; set; } = "ticket";

    /// <summary>Socket Mode connections kept open at once (Slack allows up to 10 per app).</summary>
    [Range(1, 10)]
    public int SocketConnections { get; set; } = 2;

    /// <summary>Timeout of one Web API call; a timeout is a transient failure that the outbox retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a users.info answer (name, time zone, bot, deactivated) is reused before Slack is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UserCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Member ids asked for per conversations.members page (Slack allows up to 1000; it may return fewer).</summary>
    [Range(1, 1000)]
    public int MembersPageSize { get; set; } = 1000;

    /// <summary>The bot's public base URL, for images given as site-relative paths (charts). Optional.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool SocketMode => !string.IsNullOrWhiteSpace(AppToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ApiBaseUrl.IsAbsoluteUri || ApiBaseUrl.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult("Slack:ApiBaseUrl must be an absolute http(s) URL such as https://slack.com/api/.", [nameof(ApiBaseUrl)]);
        }

        if (SocketMode && string.IsNullOrWhiteSpace(BotToken))
        {
            yield return new ValidationResult("Slack:AppToken is set (Socket Mode) but Slack:BotToken is not; the bot cannot answer without it.", [nameof(BotToken)]);
        }

        if (SupportChannels.Exists(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Slack:SupportChannels must not contain empty entries.", [nameof(SupportChannels)]);
        }
    }
}
