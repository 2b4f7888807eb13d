using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>The outcome of checking an inbound request: who sent it, or why it is refused.</summary>
internal readonly record struct AuthOutcome(bool IsAuthenticated, string? Failure, bool IsUnavailable = false)
{
    public static readonly AuthOutcome Authenticated = new(true, null);

    public static AuthOutcome Refused(string reason) => new(false, reason);
}

/// <summary>
/// Validates the bearer token on <c>POST /api/messages</c> as the Bot Framework does (teams-protocol.md §1): signature by a
/// key from the OpenID metadata (cached, refreshed on an unknown key), issuer, audience = the bot's app id, lifetime with
/// five minutes of skew, RS256/384/512 only; then the signing key must endorse the activity's channel and the token's
/// <c>serviceurl</c> claim must name the activity's serviceUrl. Only then may our own token go to that serviceUrl.
/// </summary>
internal sealed partial class BotFrameworkAuthenticator
{
    public const string HttpClientName = "teams-openid";
    private const string ServiceUrlClaim = "serviceurl";
    private const string EndorsementsProperty = "endorsements";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly TeamsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotFrameworkAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;

    public BotFrameworkAuthenticator(IOptions<TeamsOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<BotFrameworkAuthenticator> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.AuthenticationEnabled)
        {
            var url = new Uri(_options.OpenIdMetadataUrl);
            var retriever = new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = !url.IsLoopback };
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(url.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), retriever);
        }
    }

    public bool Enabled => _metadata is not null;

    public async Task<AuthOutcome> AuthenticateAsync(string? authorization, Activity activity, CancellationToken cancellationToken)
    {
        if (_metadata is null)
        {
            return AuthOutcome.Refused("authentication is off");
        }

        if (string.IsNullOrEmpty(authorization))
        {
            return AuthOutcome.Refused("no Authorization header");
        }

        var parts = authorization.Split(' ');
        if (parts.Length != 2 || parts[0] != "Bearer" || parts[1].Length == 0)
        {
            return AuthOutcome.Refused("the Authorization header is not 'Bearer <token>'");
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            LogMetadataUnavailable(ex, _options.OpenIdMetadataUrl);
            return new AuthOutcome(false, "the signing keys could not be loaded", IsUnavailable: true);
        }

        var result = await _handler.ValidateTokenAsync(parts[1], Parameters(configuration));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: fetch the metadata again (at most every few minutes, the manager's own limit) and retry once.
            _metadata.RequestRefresh();
            configuration = await _metadata.GetConfigurationAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(parts[1], Parameters(configuration));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return AuthOutcome.Refused(result.Exception?.GetType().Name ?? "invalid token");
        }

        var endorsements = Endorsements(configuration, token.Kid ?? token.SigningKey?.KeyId);
        if (endorsements.Count == 0)
        {
            return AuthOutcome.Refused("the signing key carries no endorsements");
        }

        if (!string.IsNullOrEmpty(activity.ChannelId) && !endorsements.Contains(activity.ChannelId))
        {
            return AuthOutcome.Refused($"the signing key does not endorse channel '{activity.ChannelId}'");
        }

        if (!token.TryGetPayloadValue<string>(ServiceUrlClaim, out var serviceUrl) || string.IsNullOrEmpty(serviceUrl))
        {
            return AuthOutcome.Refused("the token has no serviceurl claim");
        }

        if (!string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return AuthOutcome.Refused("the token's serviceurl claim does not match the activity's serviceUrl");
        }

        return AuthOutcome.Authenticated;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = _options.TokenIssuer,
        ValidateAudience = true,
        ValidAudience = _options.AppId,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = (notBefore, expires, _, _) => IsCurrent(notBefore, expires),
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = configuration.SigningKeys,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = AllowedAlgorithms,
    };

    /// <summary>Lifetime on the injected clock: not before <c>nbf</c> and not after <c>exp</c>, each with five minutes of skew.</summary>
    private bool IsCurrent(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp.ToUniversalTime() + ClockSkew && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - ClockSkew);
    }

    /// <summary>The channels a signing key may sign for: the <c>endorsements</c> array that ABS adds to each JWK.</summary>
    private static HashSet<string> Endorsements(OpenIdConnectConfiguration configuration, string? keyId)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == keyId);
        if (key is null || !key.AdditionalData.TryGetValue(EndorsementsProperty, out var value))
        {
            return set;
        }

        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                {
                    set.Add(item.GetString()!);
                }

                break;
            case IEnumerable<object> items:
                foreach (var item in items)
                {
                    if (item?.ToString() is { Length: > 0 } text)
                    {
                        set.Add(text);
                    }
                }

                break;
            default:
                break;
        }

        return set;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the OpenID metadata at {Url} could not be loaded; inbound activities are refused until it can")]
    private partial void LogMetadataUnavailable(Exception ex, string url);
}
