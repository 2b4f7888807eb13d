using System.Collections.Immutable;
using PlatformBot.Conversations;
using PlatformBot.Features.Knowledge;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Features.Surveys;
using PlatformBot.Features.Tickets;
using PlatformBot.Team;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>The reader's open tickets with their SLA clocks.</summary>
internal sealed class MyTicketsHomeSection(ITickets tickets, TimeProvider time) : IHomeSection
{
    private const int Shown = 10;

    public string Key => HomeSections.MyTickets;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        var open = tickets.OpenTicketsOf(viewer);
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Your open tickets")));
        if (open.Count == 0)
        {
            blocks.Add(new ContextBlock([Md.Text($"You have no open tickets. `/ticket <what you need>` files one.")]));
        }

        var now = time.GetUtcNow();
        foreach (var ticket in open.Take(Shown))
        {
            blocks.Add(TicketLine(ticket, now));
        }

        if (open.Count > Shown)
        {
            blocks.Add(new ContextBlock([Md.Text($"…and {open.Count - Shown} more: `/ticket list mine`")]));
        }

        return Task.FromResult<IReadOnlyList<Block>>(blocks.ToImmutable());
    }

    internal static SectionBlock TicketLine(TicketInfo ticket, DateTimeOffset now) => new(
        Md.Text($"*{ticket.Id}* {ticket.Summary}"),
        [
            new Field("State", Md.Text($"{ticket.State} · {ticket.Priority}")),
            new Field("SLA", Md.Text($"{Clock(ticket, now)}")),
        ]);

    private static string Clock(TicketInfo ticket, DateTimeOffset now)
    {
        if (ticket.Breached)
        {
            return "breached";
        }

        var due = ticket.FirstResponseDue ?? ticket.ResolutionDue;
        if (due is not { } at)
        {
            return "no clock running";
        }

        var what = ticket.FirstResponseDue is null ? "resolution" : "first response";
        var left = at - now;
        return left <= TimeSpan.Zero ? $"{what} overdue" : $"{what} due in {Span(left)}";
    }

    internal static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m" : $"{Math.Max(1, (int)span.TotalMinutes)}m";
}

/// <summary>For agents: tickets whose clock breaches within four hours.</summary>
internal sealed class AboutToBreachHomeSection(ITickets tickets, IRoles roles, TimeProvider time) : IHomeSection
{
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(4);

    public string Key => HomeSections.AboutToBreach;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        if (!roles.IsAgent(viewer))
        {
            return Task.FromResult<IReadOnlyList<Block>>([]);
        }

        var soon = tickets.AboutToBreach(Horizon, 10);
        var now = time.GetUtcNow();
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Tickets about to breach their SLA")));
        if (soon.Count == 0)
        {
            blocks.Add(new ContextBlock([Md.Text($"Nothing breaches within the next four hours.")]));
        }

        blocks.AddRange(soon.Select(t => MyTicketsHomeSection.TicketLine(t, now)));
        return Task.FromResult<IReadOnlyList<Block>>(blocks.ToImmutable());
    }
}

/// <summary>
/// The platform as a product, over the last 30 days: SLA attainment and time to resolve from tickets, topics from office
/// hours, self-service success from the knowledge base, the latest NPS from surveys; a figure whose feature the host
/// does not have says "not set up yet".
/// </summary>
internal sealed class ScorecardHomeSection(ITickets tickets, IServiceProvider services, TimeProvider time) : IHomeSection
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    public string Key => HomeSections.Scorecard;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sla = tickets.Figures(now - Period, now);
        var fields = new List<Field>
        {
            new("First response SLA met", Md.Text($"{Rate(sla.FirstResponse.Rate)}")),
            new("Resolution SLA met", Md.Text($"{Rate(sla.Resolution.Rate)}")),
            new("Mean time to resolve", Md.Text($"{(sla.MeanTimeToResolve is { } mttr ? MyTicketsHomeSection.Span(mttr) : "–")}")),
            new("Tickets filed / resolved", Md.Text($"{sla.Filed} / {sla.Resolved}")),
        };
        if (services.GetService(typeof(IOfficeHours)) is IOfficeHours officeHours)
        {
            var figures = officeHours.Figures();
            fields.Add(new Field("Office hours topics answered", Md.Text($"{figures.TopicsAnswered} ({figures.AnsweredByDocs} by the docs)")));
        }

        fields.Add(services.GetService(typeof(IKnowledgeInsights)) is IKnowledgeInsights knowledge
            ? new Field("Self-service success rate", Md.Text($"{Rate(knowledge.SelfService(now - Period, now).SuccessRate)}"))
            : new Field("Self-service success rate", Md.Text($"not set up yet")));
        if (services.GetService(typeof(ISurveyInsights)) is not ISurveyInsights surveys)
        {
            fields.Add(new Field("Latest NPS", Md.Text($"not set up yet")));
        }
        else if (surveys.Latest().FirstOrDefault(p => p.Nps is not null) is { } pulse)
        {
            fields.Add(new Field("Latest NPS", Md.Text($"{pulse.Nps:+0;-0;0} ({pulse.Title}, {pulse.Respondents} answers)")));
        }
        else
        {
            fields.Add(new Field("Latest NPS", Md.Text($"no survey run has closed yet")));
        }
        Block[] blocks =
        [
            new HeaderBlock(Md.Text($"Platform scorecard")),
            new SectionBlock(null, [.. fields]),
            new ContextBlock([Md.Text($"Last 30 days.")]),
        ];
        return Task.FromResult<IReadOnlyList<Block>>(blocks);
    }

    private static string Rate(double? rate) => rate is { } r ? r.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
