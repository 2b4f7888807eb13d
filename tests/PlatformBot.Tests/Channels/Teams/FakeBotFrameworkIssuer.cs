using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>
/// Azure Bot Service's identity side on 127.0.0.1: the OpenID metadata and JWKS (keys with <c>endorsements</c>, as
/// login.botframework.com publishes them; teams-protocol.md §1; the bot's key endorses every channel an Azure Bot resource
/// may have on, Web Chat and Direct Line included), tokens signed here with test keys, and an Entra ID token
/// endpoint for the bot's own outbound token (MSAL's requests are redirected here).
/// </summary>
public sealed class FakeBotFrameworkIssuer : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly RSA _published = RSA.Create(2048);
    private readonly RSA _unendorsed = RSA.Create(2048);
    private readonly RSA _unknown = RSA.Create(2048);
    private int _tokenRequests;

    private FakeBotFrameworkIssuer(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public string MetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    /// <summary>How many times the bot asked Entra ID for its outbound token.</summary>
    public int TokenRequests => _tokenRequests;

    /// <summary>The outbound token the fake Entra ID hands out.</summary>
    public const string ConnectorToken = "connector-token-from-fake-entra";

    public static async Task<FakeBotFrameworkIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new FakeBotFrameworkIssuer(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = "https://invalid.example/authorize",
            ["jwks_uri"] = issuer.BaseUrl + "/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/v1/.well-known/keys", () => Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(
                Jwk(issuer._published, "published-key", ["msteams", "slack", "webchat", "directline"]),
                Jwk(issuer._unendorsed, "webchat-only-key", ["webchat"])),
        }));
        app.MapGet("/common/discovery/instance", () => Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = "login.microsoftonline.com",
                ["preferred_cache"] = "login.windows.net",
                ["aliases"] = new JsonArray("login.microsoftonline.com", "login.windows.net"),
            }),
        }));
        app.MapPost("/{tenant}/oauth2/v2.0/token", (string tenant) =>
        {
            Interlocked.Increment(ref issuer._tokenRequests);
            return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = ConnectorToken });
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        issuer.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return issuer;
    }

    /// <summary>A channel token as ABS would send it; every part can be made wrong for a refusal test.</summary>
    public string Token(
        string audience,
        string serviceUrl,
        DateTimeOffset now,
        string issuer = Issuer,
        TimeSpan? lifetime = null,
        TimeSpan? age = null,
        SigningKey key = SigningKey.Published)
    {
        var (rsa, kid) = key switch
        {
            SigningKey.Unendorsed => (_unendorsed, "webchat-only-key"),
            SigningKey.Unknown => (_unknown, "key-nobody-published"),
            _ => (_published, "published-key"),
        };
        var issued = now - (age ?? TimeSpan.FromMinutes(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = (issued + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl)]),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static JsonObject Jwk(RSA rsa, string kid, string[] endorsements)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _published.Dispose();
        _unendorsed.Dispose();
        _unknown.Dispose();
    }
}

public enum SigningKey
{
    Published,
    Unendorsed,
    Unknown,
}

/// <summary>Sends MSAL's requests for login.microsoftonline.com to the fake issuer on 127.0.0.1 instead.</summary>
public sealed class LoopbackRedirect(string baseUrl) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = new Uri(baseUrl);
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
