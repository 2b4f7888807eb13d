using System.Collections.Immutable;
using System.Globalization;
using PlatformBot.Conversations;
using PlatformBot.Features.Platform;

namespace PlatformBot.Features.Knowledge;

/// <summary><c>/platform kb stale</c>: articles whose <c>updated</c> date is older than <c>Knowledge:StaleAfter</c>, by owner.</summary>
internal sealed class StaleArticlesVerb(KnowledgeBase knowledge, TimeProvider time) : IPlatformSubcommand
{
    public string Verb => "kb";

    public string Usage => "`/platform kb stale`: knowledge articles not updated for too long, by owner";

    public Task<Reply> HandleAsync(IncomingCommand command, string arguments, CancellationToken cancellationToken)
    {
        if (!string.Equals(arguments.Trim(), "stale", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Reply.Private(Md.Parse(Usage)));
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var stale = knowledge.Stale(today);
        var days = (int)Math.Ceiling(knowledge.Options.StaleAfter.TotalDays);
        if (stale.Count == 0)
        {
            return Task.FromResult(Reply.Private(Md.Text($"No knowledge article is older than {days} days.")));
        }

        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{stale.Count} knowledge article(s) not updated for more than {days} days")));
        foreach (var group in stale
            .SelectMany(a => (a.Owners.Count == 0 ? ["(no owner)"] : a.Owners).Select(o => (Owner: o, Article: a)))
            .GroupBy(x => x.Owner, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var lines = group.Select(x => Md.Text($"• {x.Article.Title} `{x.Article.Path}`, updated {x.Article.Updated!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
            blocks.Add(new SectionBlock(Md.Text($"*{group.Key}*\n{Md.Lines(lines)}"), []));
        }

        return Task.FromResult(new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester });
    }
}
