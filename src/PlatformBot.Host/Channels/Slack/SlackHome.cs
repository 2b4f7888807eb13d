using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Team;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// The App Home tab, published per person when he opens it: the sections features registered (<see cref="IHomeSection"/>),
/// and "not set up yet" for each expected section that no feature provides (yet).
/// </summary>
internal sealed partial class SlackHome(
    IEnumerable<IHomeSection> sections,
    IRoles roles,
    SlackApiClient api,
    IOptions<SlackOptions> options,
    ILogger<SlackHome> logger)
{
    private readonly IReadOnlyList<IHomeSection> _sections = [.. sections];

    public async Task<IReadOnlyList<Block>> BuildAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        var isAgent = roles.IsAgent(viewer);
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"PlatformBot")));
        blocks.Add(new ContextBlock([Md.Text($"Type `/ticket` to ask the platform team for help, or `help` in a DM to see everything I can do.")]));
        foreach (var (key, title, agentsOnly) in HomeSections.Expected)
        {
            if (agentsOnly && !isAgent)
            {
                continue;
            }

            blocks.Add(new DividerBlock());
            var provided = _sections.Where(s => s.Key == key).ToList();
            if (provided.Count == 0)
            {
                blocks.Add(new HeaderBlock(Md.Text($"{Md.Raw(title)}")));
                blocks.Add(new ContextBlock([Md.Text($"Not set up yet.")]));
                continue;
            }

            foreach (var section in provided)
            {
                try
                {
                    blocks.AddRange(await section.RenderAsync(viewer, cancellationToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSectionFailed(ex, key);
                    blocks.Add(new HeaderBlock(Md.Text($"{Md.Raw(title)}")));
                    blocks.Add(new ContextBlock([Md.Text($"Not available right now.")]));
                }
            }
        }

        foreach (var extra in _sections.Where(s => !HomeSections.Expected.Any(e => e.Key == s.Key)))
        {
            blocks.Add(new DividerBlock());
            blocks.AddRange(await extra.RenderAsync(viewer, cancellationToken));
        }

        return blocks.ToImmutable();
    }

    public async Task PublishAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        try
        {
            viewer = await api.UserInfoAsync(viewer.Id, cancellationToken); // times in the reader's own zone
        }
        catch (ChannelSendException ex)
        {
            LogNoUserInfo(viewer.Id, ex.Message);
        }

        var blocks = await BuildAsync(viewer, cancellationToken);
        await api.PublishViewAsync(viewer.Id, BlockKitRenderer.Home(blocks, options.Value.PublicBaseUrl), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No profile for {User} ({Error}); the home tab uses the team's time zone")]
    private partial void LogNoUserInfo(string user, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The home section {Section} failed to render")]
    private partial void LogSectionFailed(Exception ex, string section);
}
