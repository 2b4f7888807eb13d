using System.ComponentModel.DataAnnotations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>The Teams channel: the bot's Microsoft App registration and where tokens come from (../shared/research/teams-protocol.md).</summary>
public sealed class TeamsOptions : IValidatableObject
{
    public const string SectionName = "Teams";

    /// <summary>Azure Bot Service's OpenID metadata for tokens from channels (Teams).</summary>
    public const string BotFrameworkOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The bot's Microsoft App ID (a GUID). Empty: authentication is off (the Agents Playground; see <see cref="AllowUnauthenticated"/>).</summary>
    public string AppId { get; set; } = string.Empty;

    /// <summary>The app's client secret. Only from an environment variable (<c>Teams__AppPassword</c>) or user secrets, never appsettings.json.</summary>
    public string AppPassword { get; set; } = string.Empty;

    /// <summary>The tenant of a single-tenant bot; empty for a (legacy) multi-tenant bot, whose tokens come from the botframework.com tenant.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Where the signing keys of inbound tokens are published. Tests point it at a loopback fake.</summary>
    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadataUrl;

    /// <summary>The only issuer accepted on inbound tokens (Azure Bot Service; <c>https://api.botframework.us</c> in US Gov).</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>The Entra ID host that issues the bot's outbound tokens.</summary>
    public string LoginAuthority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>The scope of the outbound token (the Bot Connector).</summary>
    public string OAuthScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Outside Development, running without <see cref="AppId"/> (no authentication) must be asked for explicitly.</summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>The bot's public base URL, for images given as site-relative paths (charts). Optional.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool AuthenticationEnabled => !string.IsNullOrWhiteSpace(AppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AuthenticationEnabled && !Guid.TryParse(AppId, out _))
        {
            yield return new ValidationResult("Teams:AppId must be the bot's Microsoft App ID, a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", [nameof(AppId)]);
        }

        if (AuthenticationEnabled && string.IsNullOrEmpty(AppPassword))
        {
            yield return new ValidationResult("Teams:AppPassword is required when Teams:AppId is set: put the client secret in the environment variable Teams__AppPassword or in user secrets.", [nameof(AppPassword)]);
        }

        if (TenantId.Length > 0 && !Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult("Teams:TenantId must be the tenant's id, a GUID (or empty for a multi-tenant bot).", [nameof(TenantId)]);
        }

        if (!IsSecureOrLoopback(OpenIdMetadataUrl))
        {
            yield return new ValidationResult("Teams:OpenIdMetadataUrl must be an absolute https URL (http only on this machine, for tests).", [nameof(OpenIdMetadataUrl)]);
        }

        if (!Uri.TryCreate(LoginAuthority, UriKind.Absolute, out var login) || login.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Teams:LoginAuthority must be an absolute https URL.", [nameof(LoginAuthority)]);
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl) && !IsSecureOrLoopback(PublicBaseUrl))
        {
            yield return new ValidationResult("Teams:PublicBaseUrl must be an absolute https URL.", [nameof(PublicBaseUrl)]);
        }
    }

    internal static bool IsSecureOrLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
