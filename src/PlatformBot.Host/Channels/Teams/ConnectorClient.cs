using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PlatformBot.Conversations;

namespace PlatformBot.Host.Channels.Teams;

/// <summary>
/// The Bot Connector REST API at a conversation's serviceUrl (teams-protocol.md §2): send, reply, update, open a 1:1 chat, read the roster.
/// Ids are URL-encoded (Teams ids contain <c>: ; @ =</c>); only serviceUrls an authenticated activity named are called,
/// so the bot's token never goes anywhere else. Failures become <see cref="ChannelSendException"/>: throttling and
/// server errors are transient, refusals (blocked, not found, too big) are not.
/// </summary>
internal sealed class ConnectorClient(IHttpClientFactory http, IConnectorTokens tokens, TeamsConversationStore store, TimeProvider time)
{
    public const string HttpClientName = "teams-connector";

    /// <summary>Where a refusal's HTTP status is kept in <see cref="Exception.Data"/>.</summary>
    public const string StatusKey = "teams.status";

    /// <summary>The HTTP status the connector refused a call with; null when it did not answer at all.</summary>
    public static int? StatusOf(ChannelSendException ex) => ex.Data[StatusKey] as int?;

    /// <summary>Posts an activity; with <paramref name="replyToId"/> as a reply to that activity. Returns the new activity's id.</summary>
    public async Task<string> SendAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities" + (string.IsNullOrEmpty(replyToId) ? string.Empty : "/" + Uri.EscapeDataString(replyToId));
        var response = await CallAsync(HttpMethod.Post, serviceUrl, path, activity, TeamsJson.Default.Activity, cancellationToken);
        return response?.Id ?? string.Empty;
    }

    /// <summary>Replaces an activity the bot sent earlier (a card updated in place).</summary>
    public async Task UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        activity.Id = activityId;
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}";
        await CallAsync(HttpMethod.Put, serviceUrl, path, activity, TeamsJson.Default.Activity, cancellationToken);
    }

    /// <summary>Opens (or finds) the one-to-one chat between the bot and a person; returns its conversation id.</summary>
    public async Task<string> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        var response = await CallAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, TeamsJson.Default.ConversationParameters, cancellationToken);
        return response?.Id is { Length: > 0 } id
            ? id
            : throw new ChannelSendException("Teams: the connector opened a conversation but returned no id", isTransient: true);
    }

    /// <summary>
    /// One page of a conversation's roster (<c>GET /v3/conversations/{id}/pagedmembers</c>); in a channel, the team's members.
    /// The page's continuation token leads to the next one; none means this was the last.
    /// </summary>
    public async Task<PagedMembers> PagedMembersAsync(string serviceUrl, string conversationId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/pagedmembers?pageSize={pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + (string.IsNullOrEmpty(continuationToken) ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(continuationToken));
        var body = await SendAsync(HttpMethod.Get, serviceUrl, path, null, cancellationToken);
        try
        {
            return (body is null ? null : JsonSerializer.Deserialize(body, TeamsJson.Default.PagedMembers))
                ?? throw new ChannelSendException($"Teams: the connector answered GET {path} without a roster", isTransient: true);
        }
        catch (JsonException ex)
        {
            throw new ChannelSendException($"Teams: the connector answered GET {path} with something that is not a roster", isTransient: true, null, ex);
        }
    }

    private async Task<ResourceResponse?> CallAsync<T>(HttpMethod method, string serviceUrl, string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(method, serviceUrl, path, JsonContent(body, type), cancellationToken);
        try
        {
            return answer is null ? null : JsonSerializer.Deserialize(answer, TeamsJson.Default.ResourceResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Calls the connector; returns the body of a successful answer (null when it has none).</summary>
    private async Task<string?> SendAsync(HttpMethod method, string serviceUrl, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var owned = content;
        if (!store.IsTrusted(serviceUrl) || !Uri.TryCreate(serviceUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri))
        {
            throw new ChannelSendException($"Teams: the serviceUrl '{serviceUrl}' did not arrive in an authenticated activity; nothing is sent there", isTransient: false);
        }

        using var request = new HttpRequestMessage(method, new Uri(baseUri, path))
        {
            Content = content,
        };
        if (await tokens.GetTokenAsync(cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ChannelSendException($"Teams: the connector at {baseUri.Host} could not be reached ({ex.Message})", isTransient: true, null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChannelSendException($"Teams: the connector at {baseUri.Host} did not answer in time", isTransient: true, null, ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
                {
                    return null;
                }

                return await response.Content.ReadAsStringAsync(cancellationToken);
            }

            var detail = await ErrorDetailAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            var transient = status is 408 or 429 or >= 500;
            var retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date && date > time.GetUtcNow() ? date - time.GetUtcNow() : null);
            throw new ChannelSendException($"Teams: the connector answered {status} {response.ReasonPhrase} to {method} {path}: {detail}", transient, retryAfter)
            {
                Data = { [StatusKey] = status },
            };
        }
    }

    private static ByteArrayContent JsonContent<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The connector's error code and message (<c>MessageWritesBlocked</c>, <c>MessageSizeTooBig</c>), shortened.</summary>
    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length <= 300 ? text : text[..300] + "…";
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }
    }
}
