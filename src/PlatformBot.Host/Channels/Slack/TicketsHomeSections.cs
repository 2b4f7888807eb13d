using System.Collections.Immutable;
using PlatformBot.Conversations;
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
