using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Features.Surveys;
using PlatformBot.Tests.Channels.Slack;

namespace PlatformBot.Tests.Channels.Teams;

/// <summary>A Teams channel's members for a survey's Channels audience: the paged roster through the fake connector.</summary>
public sealed class TeamsMembersTests
{
    private const string Carol = "29:1carol-aad";

    [Fact]
    public async Task SeveralRosterPages_ListEveryPersonByTheirActivityId_WithoutTheBot_AndWithoutATimeZone()
    {
        await using var teams = await TeamChannelAsync();

        var members = await MembersOf(teams).MembersAsync(TeamsFixtures.Channel, TestContext.Current.CancellationToken);

        Assert.Equal([TeamsFixtures.Alice, TeamsFixtures.Bob, Carol], members.Select(m => m.Id));
        Assert.Equal("Carol Example", members[2].DisplayName);
        Assert.All(members, m => Assert.Null(m.TimeZone));
        Assert.Equal(3, teams.Connector.RosterCalls.Count());
        Assert.Contains("continuationToken=page-3", teams.Connector.RosterCalls.Last().Path, StringComparison.Ordinal);
        Assert.StartsWith($"/connector/v3/conversations/{Uri.EscapeDataString(TeamsFixtures.Channel)}/pagedmembers?pageSize=", teams.Connector.RosterCalls.First().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottledRosterPage_IsAskedAgainOnlyAfterRetryAfter()
    {
        await using var teams = await TeamChannelAsync();
        teams.Connector.FailNext(429); // Retry-After: 3

        var listing = MembersOf(teams).MembersAsync(TeamsFixtures.Channel, TestContext.Current.CancellationToken);
        await WaitForAsync(() => teams.Connector.RosterCalls.Count() == 1);
        teams.Bot.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(200, TestContext.Current.CancellationToken); // real time for a wrongly eager retry to show up
        var beforeRetryAfter = teams.Connector.RosterCalls.Count();
        for (var i = 0; i < 100 && !listing.IsCompleted; i++)
        {
            teams.Bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(listing, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        Assert.Equal(1, beforeRetryAfter);
        Assert.Equal(3, (await listing).Count);
        Assert.Equal(4, teams.Connector.RosterCalls.Count());
    }

    [Fact]
    public async Task ForbiddenRoster_AndAConversationNeverSeen_AreReportedInTheRun()
    {
        var settings = SlackMembersTests.ChannelSurvey("teams:" + TeamsFixtures.Channel);
        settings["Surveys:Definitions:dx:Audience:Channels:1"] = "teams:19:elsewhere@thread.tacv2";
        await using var teams = await TeamChannelAsync(settings);
        teams.Connector.FailNext(403);

        var run = await teams.Service<SurveyRunner>().StartAsync("dx", RunKind.Manual, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(0, run!.Recipients);
        Assert.Contains(run.AudienceNotes, n => n.Contains("cannot be listed: Teams refused the roster of 19:general@thread.tacv2 (403", StringComparison.Ordinal));
        Assert.Contains(run.AudienceNotes, n => n.Contains("cannot be listed: the bot has never heard from 19:elsewhere@thread.tacv2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelAudience_SendsExactlyOneDirectMessagePerMember()
    {
        await using var teams = await TeamChannelAsync(SlackMembersTests.ChannelSurvey("teams:" + TeamsFixtures.Channel));
        var postsBefore = teams.Connector.Posts.Count();

        var run = await teams.Service<SurveyRunner>().StartAsync("dx", RunKind.Manual, null, null, TestContext.Current.CancellationToken);
        await teams.Bot.DeliverOutboxAsync();
        await WaitForAsync(() => teams.Connector.Posts.Count() - postsBefore >= 3);
        await teams.Bot.DeliverOutboxAsync();

        Assert.Equal(3, run!.Prompted);
        Assert.Equal([TeamsFixtures.Alice, TeamsFixtures.Bob, Carol], teams.Connector.CreatedConversations.Select(c => (string?)c.Body!["members"]![0]!["id"]).Order(StringComparer.Ordinal));
        var prompts = teams.Connector.Posts.Skip(postsBefore).Select(p => Uri.UnescapeDataString(p.Path)).ToList();
        Assert.Equal(3, prompts.Count);
        Assert.Equal(3, prompts.Distinct(StringComparer.Ordinal).Count());
        Assert.All(prompts, p => Assert.Contains("/v3/conversations/a:dm-29:", p, StringComparison.Ordinal));
    }

    private static IConversationMembers MembersOf(TeamsTestBot teams) =>
        teams.Bot.Services.GetServices<IConversationMembers>().Single(m => m.Channel == PlatformBot.Conversations.Channels.Teams);

    /// <summary>The bot, told about the channel by Bob's mention there, and the channel's roster on two-member pages.</summary>
    private static async Task<TeamsTestBot> TeamChannelAsync(IDictionary<string, string?>? settings = null)
    {
        var teams = await TeamsTestBot.StartAsync(settings);
        teams.Connector.RosterPageSize = 2;
        teams.Connector.Rosters[TeamsFixtures.Channel] =
        [
            Member(TeamsFixtures.Alice, "Alice Example"),
            Member(TeamsFixtures.BotId, "PlatformBot"),
            Member(TeamsFixtures.Bob, "Bob Example"),
            Member(Carol, "Carol Example"),
            Member(TeamsFixtures.Alice, "Alice Example"),
        ];
        await teams.SendOkAsync(TeamsFixtures.ChannelMessage(teams.ServiceUrl, "<at>PlatformBot</at> help"));
        return teams;
    }

    private static JsonObject Member(string id, string name) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["aadObjectId"] = Guid.NewGuid().ToString(),
        ["userRole"] = "user",
    };

    /// <summary>Waits (in real time, bounded) for background work, never for time to pass.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the condition did not hold within 10 s");
    }
}
