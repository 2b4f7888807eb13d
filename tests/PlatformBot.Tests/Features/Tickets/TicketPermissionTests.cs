using Microsoft.Extensions.DependencyInjection;
using PlatformBot.Conversations;
using PlatformBot.Features.Tickets;
using PlatformBot.Routing;
using PlatformBot.Tests.Support;

namespace PlatformBot.Tests.Features.Tickets;

/// <summary>Each command × the ticket's requester, another requester, an agent and an admin (Team:Agents dana, Team:Admins priya).</summary>
public sealed class TicketPermissionTests
{
    // Columns: rita (the ticket's requester), bob (another requester), dana (agent), priya (admin).
    public static readonly TheoryData<string, string, string> Matrix = new()
    {
        { "show {id}", "view", "Y N Y Y" },
        { "sla {id}", "view", "Y N Y Y" },
        { "comment {id} any news?", "change", "Y N Y Y" },
        { "close {id}", "change", "Y N Y Y" },
        { "ack {id}", "change", "N N Y Y" },
        { "assign {id} dana", "change", "N N Y Y" },
        { "wait {id}", "change", "N N Y Y" },
        { "priority {id} p1", "change", "N N Y Y" },
        { "resolve {id} fixed", "change", "N N Y Y" },
        { "reopen {id}", "change on resolved", "Y N Y Y" },
        { "reopen {id}", "change on resolved 15 days ago", "N N N Y" },
        { "list all", "list", "N N Y Y" },
        { "list breaching", "list", "N N Y Y" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Command_IsAllowedExactlyForTheRolesInTheMatrix(string command, string kind, string expected)
    {
        await using var bot = await TestBot.StartAsync();
        var router = bot.Services.GetRequiredService<IBotRouter>();
        var service = bot.Services.GetRequiredService<TicketService>();
        string[] actors = ["rita", "bob", "dana", "priya"];
        var outcome = new List<string>();

        foreach (var actor in actors)
        {
            var filed = await service.FileAsync(new TicketRequest(User("rita"), "Build agents are out of disk", Support), TestContext.Current.CancellationToken);
            var id = filed.Ticket!.Id;
            if (kind.StartsWith("change on resolved", StringComparison.Ordinal))
            {
                await Run(router, "dana", $"resolve {id}");
                if (kind.EndsWith("15 days ago", StringComparison.Ordinal))
                {
                    bot.Time.Advance(TimeSpan.FromDays(15));
                }
            }

            var before = service.Get(id)!.Audit.Count;
            var reply = await Run(router, actor, command.Replace("{id}", id, StringComparison.Ordinal));
            var text = reply.ToPlainText();
            var allowed = kind switch
            {
                "view" => text.Contains(id, StringComparison.Ordinal) && !text.Contains("someone else's", StringComparison.Ordinal),
                "list" => !text.Contains("is for the platform team", StringComparison.Ordinal),
                _ => service.Get(id)!.Audit.Count > before,
            };
            outcome.Add(allowed ? "Y" : "N");
        }

        Assert.Equal(expected, string.Join(' ', outcome));
    }

    private static readonly ConversationAddress Support = new(PlatformBot.Conversations.Channels.DevChat, "support");

    private static UserRef User(string id) => new(PlatformBot.Conversations.Channels.DevChat, id);

    private static Task<Reply> Run(IBotRouter router, string user, string text) =>
        router.HandleCommandAsync(new IncomingCommand("ticket", text, User(user), Support), TestContext.Current.CancellationToken);
}
