using System.Net;
using PlatformBot.Host.Channels.Teams;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>
/// Inbound tokens are checked as the Bot Framework does (teams-protocol.md §1): a refused activity is answered 401 and
/// nothing happens — no reply, no conversation remembered, no serviceUrl trusted.
/// </summary>
public sealed class TeamsAuthenticationTests
{
    /// <summary>The fixtures' tenant.</summary>
    private const string Tenant = "00000000-0000-0000-0000-0000000000aa";

    [Fact]
    public async Task ValidToken_IsAccepted_AndTheReplyCarriesTheBotsOwnToken()
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync();
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "help");

        using var response = await teams.SendAsync(activity, teams.Issuer!.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(teams.Connector.Posts);
        Assert.Equal("Bearer " + FakeBotFrameworkIssuer.ConnectorToken, reply.Authorization);
        Assert.Contains("What I can do", reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboundToken_IsCached_AcrossReplies()
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync();

        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"));
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"));
        await teams.SendOkAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"));

        Assert.Equal(3, teams.Connector.Posts.Count());
        Assert.Equal(1, teams.Issuer!.TokenRequests);
    }

    [Theory]
    [InlineData("wrong issuer", "InvalidIssuer")]
    [InlineData("wrong audience", "InvalidAudience")]
    [InlineData("expired", "InvalidLifetime")]
    [InlineData("not yet valid", "InvalidLifetime")]
    [InlineData("unknown key", "SignatureKeyNotFound")]
    [InlineData("missing endorsement", "does not endorse channel 'msteams'")]
    [InlineData("serviceUrl mismatch", "serviceurl claim does not match")]
    [InlineData("no token", "no Authorization header")]
    [InlineData("not bearer", "not 'Bearer <token>'")]
    public async Task RefusedToken_Is401_AndNothingIsProcessed(string flaw, string reason)
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync();
        var issuer = teams.Issuer!;
        var activity = TeamsFixtures.Message(teams.ServiceUrl, "help");
        var token = flaw switch
        {
            "wrong issuer" => issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, issuer: "https://sts.windows.net/someone-else/"),
            "wrong audience" => issuer.Token("11111111-2222-3333-4444-555555555555", teams.ServiceUrl, teams.Now),
            "expired" => issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, lifetime: TimeSpan.FromHours(1), age: TimeSpan.FromMinutes(66)),
            "not yet valid" => issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, age: TimeSpan.FromMinutes(-6)),
            "unknown key" => issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, key: SigningKey.Unknown),
            "missing endorsement" => issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, key: SigningKey.Unendorsed),
            "serviceUrl mismatch" => issuer.Token(TeamsTestBot.AppId, "https://attacker.example/connector/", teams.Now),
            _ => null,
        };

        using var response = flaw == "not bearer"
            ? await SendWithSchemeAsync(teams, activity, "Basic " + issuer.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now))
            : await teams.SendAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(teams.Logs.Messages, m => m.Contains(reason, StringComparison.Ordinal));
        Assert.Empty(teams.Connector.Calls);
        var store = teams.Service<TeamsConversationStore>();
        Assert.Null(store.FindConversation(TeamsFixtures.PersonalChat.Split(';')[0]));
        Assert.False(store.IsTrusted(teams.ServiceUrl));
    }

    [Fact]
    public async Task TokenExpiredWithinTheFiveMinuteSkew_IsStillAccepted()
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync();
        var token = teams.Issuer!.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now, lifetime: TimeSpan.FromHours(1), age: TimeSpan.FromMinutes(64));

        using var response = await teams.SendAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("webchat")]
    [InlineData("directline")]
    [InlineData(null)]
    public async Task ActivityFromAnotherChannelOfTheBotResource_PosingAsAnAdmin_Is403_AndNothingIsProcessed(string? channelId)
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync(new Dictionary<string, string?>
        {
            ["Teams:TenantId"] = Tenant,
            ["Team:Admins:0"] = TeamsFixtures.Alice,
        });
        var activity = WithoutTenant(TeamsFixtures.Message(teams.ServiceUrl, "platform outbox"));
        activity["channelId"] = channelId;

        using var response = await teams.SendAsync(activity, teams.Issuer!.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(teams.Connector.Calls);
        Assert.Null(teams.Service<TeamsConversationStore>().FindConversation(TeamsFixtures.PersonalChat));
        var refusal = Assert.Single(teams.Logs.Messages, m => m.Contains("refused", StringComparison.Ordinal));
        Assert.Contains("is not Teams", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(teams.Logs.Messages, m => m.Contains("platform outbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActivityFromAnotherTenant_OfASingleTenantBot_Is403()
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync(new Dictionary<string, string?> { ["Teams:TenantId"] = "00000000-0000-0000-0000-0000000000cc" });

        using var response = await teams.SendAsync(TeamsFixtures.Message(teams.ServiceUrl, "help"), teams.Issuer!.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(teams.Connector.Calls);
    }

    [Fact]
    public async Task ActivityNamingNoTenant_OfASingleTenantBot_Is403()
    {
        await using var teams = await TeamsTestBot.StartAuthenticatedAsync(new Dictionary<string, string?> { ["Teams:TenantId"] = Tenant });
        var activity = WithoutTenant(TeamsFixtures.Message(teams.ServiceUrl, "help"));

        using var response = await teams.SendAsync(activity, teams.Issuer!.Token(TeamsTestBot.AppId, teams.ServiceUrl, teams.Now));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(teams.Connector.Calls);
        Assert.Contains(teams.Logs.Messages, m => m.Contains("names no tenant", StringComparison.Ordinal));
    }

    private static System.Text.Json.Nodes.JsonObject WithoutTenant(System.Text.Json.Nodes.JsonObject activity)
    {
        activity["conversation"]!.AsObject().Remove("tenantId");
        activity.Remove("channelData");
        return activity;
    }

    private static async Task<HttpResponseMessage> SendWithSchemeAsync(TeamsTestBot teams, System.Text.Json.Nodes.JsonObject activity, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TeamsChannel.Endpoint)
        {
            Content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header);
        return await teams.Bot.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
