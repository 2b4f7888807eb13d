using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>The bearer token the bot presents to the Bot Connector; null when authentication is off.</summary>
internal interface IConnectorTokens
{
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Authentication off (no app id): the Agents Playground takes no token.</summary>
internal sealed class NoConnectorTokens : IConnectorTokens
{
    public Task<string?> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>
/// Client-credentials tokens from Entra ID through MSAL (teams-protocol.md §2.1). One confidential client for the process:
/// MSAL keeps the token in its in-memory cache and only asks Entra ID again when it is close to expiry.
/// </summary>
internal sealed class MsalConnectorTokens : IConnectorTokens
{
    public const string HttpClientName = "teams-msal";

    private readonly IConfidentialClientApplication _client;
    private readonly string[] _scopes;

    public MsalConnectorTokens(IOptions<TeamsOptions> options, IHttpClientFactory http)
    {
        var o = options.Value;
        var tenant = string.IsNullOrEmpty(o.TenantId) ? "botframework.com" : o.TenantId;
        _scopes = [o.OAuthScope];
        _client = ConfidentialClientApplicationBuilder.Create(o.AppId)
            .WithClientSecret(o.AppPassword)
            .WithAuthority($"{o.LoginAuthority.TrimEnd('/')}/{tenant}")
            .WithHttpClientFactory(new MsalHttpClients(http))
            .Build();
    }

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.AcquireTokenForClient(_scopes).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
        catch (MsalServiceException ex)
        {
            // 5xx and throttling from Entra ID pass; a refused client (wrong secret, unknown app) does not fix itself.
            var transient = ex.StatusCode is 429 or >= 500 or 0;
            throw new ChannelSendException($"Teams: no token from Entra ID ({ex.ErrorCode})", transient, null, ex);
        }
        catch (MsalClientException ex)
        {
            throw new ChannelSendException($"Teams: no token from Entra ID ({ex.ErrorCode})", isTransient: true, null, ex);
        }
    }

    private sealed class MsalHttpClients(IHttpClientFactory http) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => http.CreateClient(HttpClientName);
    }
}
