using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.Sla;
using PlatformBot.Team;

namespace PlatformBot.Features.Tickets;

/// <summary>Every message the Tickets feature shows, as channel-neutral replies. Pure: tickets and the time come in.</summary>
internal sealed class TicketReplies(SlaSettings sla, IOptions<TeamOptions> team)
{
    private const int MaxListed = 25;

    public TimeZoneInfo TeamZone => TimeWords.ZoneOf(null, team.Value.TimeZone);

    public TimeZoneInfo ZoneOf(TicketPerson person) => TimeWords.ZoneOf(person.TimeZone, team.Value.TimeZone);

    public TimeZoneInfo ZoneOf(UserRef user) => TimeWords.ZoneOf(user.TimeZone, team.Value.TimeZone);

    /// <summary>The ticket card: updated in place wherever it was posted (card key <c>ticket:{id}</c>).</summary>
    public Reply Card(Ticket ticket, DateTimeOffset now)
    {
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{ticket.Id}: {ticket.Summary}")));
        var fields = ImmutableArray.CreateBuilder<Field>();
        fields.Add(new Field("Priority", Md.Text($"{ticket.Priority}")));
        fields.Add(new Field("State", Md.Text($"{Md.Raw(StateWords(ticket.State))}")));
        fields.Add(new Field("Requester", Md.Text($"{ticket.Requester.Name}")));
        fields.Add(new Field("Assignee", ticket.Assignee is { } a ? Md.Text($"{a.Name}") : Md.Text($"_unassigned_")));
        if (ticket.Category is { } category)
        {
            fields.Add(new Field("Category", Md.Text($"{category}")));
        }

        if (ticket.Service is { } service)
        {
            fields.Add(new Field("Service", Md.Text($"{service}")));
        }

        foreach (var timer in CurrentTimers(ticket))
        {
            var clock = IsCancelled(ticket, timer) ? Unanswered(timer) : ClockShort(timer, now, TeamZone);
            fields.Add(new Field(Capitalized(TimeWords.MetricName(timer.Metric)), Md.Text($"{clock}")));
        }

        RichText? description = ticket.Description is { Length: > 0 } d ? Md.Text($"{Truncate(d, 500)}") : null;
        blocks.Add(new SectionBlock(description, fields.ToImmutable()));
        blocks.Add(new ActionsBlock(Buttons(ticket)));
        var context = ImmutableArray.CreateBuilder<RichText>();
        context.Add(Md.Text($"Filed by {ticket.FiledBy.Name} {TimeWords.At(ticket.CreatedAt, TeamZone)} ({TeamZone.Id}) · {Comments(ticket.Comments.Count)}"));
        if (ticket.IsOpen && ticket.Timer(SlaMetric.FirstResponse) is { IsRunning: true, DueAt: { } due })
        {
            context.Add(Md.Text($"{ticket.Requester.Name}: first response expected by {TimeWords.AtWithZone(due, ZoneOf(ticket.Requester))}"));
        }

        blocks.Add(new ContextBlock(context.ToImmutable()));
        return new Reply { Blocks = blocks.ToImmutable(), CardKey = ticket.CardKey };
    }

    /// <summary>A private, fuller view for <c>/ticket show</c>: the card's facts, the latest comments and history.</summary>
    public Reply Show(Ticket ticket, DateTimeOffset now)
    {
        var card = Card(ticket, now);
        var blocks = card.Blocks.ToBuilder();
        if (ticket.Comments.Count > 0)
        {
            blocks.Add(new DividerBlock());
            var latest = ticket.Comments.TakeLast(5).Select(c => Md.Text($"*{c.Author.Name}* {TimeWords.At(c.At, TeamZone)}: {Truncate(c.Text, 300)}"));
            blocks.Add(new TextBlock(Md.Lines(latest)));
        }

        var history = ticket.Audit.TakeLast(8).Select(e => Md.Text($"{TimeWords.At(e.At, TeamZone)} {e.ActorName} {e.Action}{(e.Detail is null ? "" : ": " + Truncate(e.Detail, 80))} ({e.Channel})"));
        blocks.Add(new ContextBlock([Md.Lines(history)]));
        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    public Reply List(string title, IReadOnlyList<Ticket> tickets, int total, DateTimeOffset now)
    {
        if (tickets.Count == 0)
        {
            return Reply.Private(Md.Text($"{title}: none."));
        }

        var lines = tickets.Take(MaxListed).Select(t => Md.Text($"*{t.Id}* {t.Priority} · {Md.Raw(StateWords(t.State))} · {Truncate(t.Summary, 80)}{NextDue(t, now)}"));
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{title} ({total})")));
        blocks.Add(new TextBlock(Md.Lines(lines)));
        if (total > tickets.Count)
        {
            blocks.Add(new ContextBlock([Md.Text($"…and {total - tickets.Count} more. `/ticket show <id>` shows one.")]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    /// <summary>"When will I hear back?": every clock of the ticket in words, in the reader's zone.</summary>
    public Reply Explain(Ticket ticket, UserRef reader, DateTimeOffset now)
    {
        var zone = ZoneOf(reader);
        var waitingFor = ticket.Requester.Is(reader) ? "you" : ticket.Requester.Name;
        var policy = sla.Policies[ticket.Priority.ToString()];
        var calendar = sla.Calendar(policy.Calendar);
        var lines = new List<RichText>
        {
            Md.Text($"*{ticket.Id}* is {ticket.Priority} and {Md.Raw(StateWords(ticket.State).ToLowerInvariant())}. Its clocks count {calendar.Describe()}; times below are {zone.Id}."),
        };
        lines.AddRange(CurrentTimers(ticket).Select(t => IsCancelled(ticket, t)
            ? UnansweredExplained(ticket, t, zone)
            : SlaExplainer.Explain(t, sla.Calendar(t.Calendar), now, zone, waitingFor)));
        return Reply.Private(Md.Lines(lines));
    }

    public Reply SlaAlert(Ticket ticket, SlaTimer timer, double fraction)
    {
        var metric = TimeWords.MetricName(timer.Metric);
        var due = timer.DueAt ?? timer.StartedAt;
        var who = ticket.Assignee is { } a ? Md.Text($" (assignee: {a.Name})") : Md.Text($" (unassigned)");
        return fraction >= 1
            ? Reply.Text(Md.Text($"*{ticket.Id}* breached its {Md.Raw(metric)} target of {TimeWords.Duration(timer.Target)}: it was due {TimeWords.AtWithZone(due, TeamZone)}{who}."))
            : Reply.Text(Md.Text($"*{ticket.Id}*: {Md.Raw(metric)} is {Percent(fraction)} through its {TimeWords.Duration(timer.Target)} target, due {TimeWords.AtWithZone(due, TeamZone)}{who}."));
    }

    public static Reply Paused(Ticket ticket, UserRef agent) =>
        Reply.Text(Md.Text($"{Md.Mention(ticket.Requester.ToUserRef())}, {agent.Name} is waiting for you on *{ticket.Id}*: the clock is paused. Reply in this thread to carry on; that starts the clock again."));

    public Reply Resumed(Ticket ticket) =>
        ticket.Timer(SlaMetric.Resolution) is { IsRunning: true, DueAt: { } due }
            ? Reply.Text(Md.Text($"Thanks, {ticket.Requester.Name}: the clock of *{ticket.Id}* runs again. Resolution is now due by {TimeWords.AtWithZone(due, ZoneOf(ticket.Requester))}."))
            : Reply.Text(Md.Text($"Thanks, {ticket.Requester.Name}: the clock of *{ticket.Id}* runs again."));

    public static Reply Commented(Ticket ticket, UserRef author, string text) =>
        Reply.Text(Md.Text($"*{author.Name}* commented on *{ticket.Id}*: {text}"));

    public static Reply Resolved(Ticket ticket, UserRef agent, string? note, TimeSpan reopenWindow) =>
        Reply.Text(note is null
            ? Md.Text($"{Md.Mention(ticket.Requester.ToUserRef())}, {agent.Name} resolved *{ticket.Id}*. Not fixed? `/ticket reopen {ticket.Id}` within {TimeWords.Duration(reopenWindow, days: true)}.")
            : Md.Text($"{Md.Mention(ticket.Requester.ToUserRef())}, {agent.Name} resolved *{ticket.Id}*: {note}\nNot fixed? `/ticket reopen {ticket.Id}` within {TimeWords.Duration(reopenWindow, days: true)}."));

    public static Reply Changed(Ticket ticket, UserRef actor, string what) =>
        Reply.Text(Md.Text($"{actor.Name} {Md.Raw(what)} *{ticket.Id}*."));

    public Reply PriorityChanged(Ticket ticket, UserRef actor, TicketPriority from, DateTimeOffset now)
    {
        var dues = CurrentTimers(ticket).Where(t => t.IsRunning).Select(t => $"{TimeWords.MetricName(t.Metric)} {ClockShort(t, now, TeamZone)}");
        return Reply.Text(Md.Text($"{actor.Name} changed *{ticket.Id}* from {from} to {ticket.Priority}: {string.Join(", ", dues)}."));
    }

    public static Reply AlreadyFiled(Ticket ticket) =>
        Reply.Private(Md.Text($"That was already filed as *{ticket.Id}*: {ticket.Summary} ({Md.Raw(StateWords(ticket.State).ToLowerInvariant())})."));

    public static Form NewTicketForm(TicketDraft? draft)
    {
        var title = draft?.Title?.Trim();
        var description = draft?.Description;
        if (title is { Length: > TicketCommandParser.MaxSummaryLength })
        {
            description ??= title;
            title = title[..(TicketCommandParser.MaxSummaryLength - 1)] + "…";
        }

        return new Form(TicketRoutes.Form, "File a ticket",
        [
            new FormField(TicketRoutes.Fields.Title, "Title") { Required = true, MaxLength = TicketCommandParser.MaxSummaryLength, Initial = title, Placeholder = "What is wrong, in one line" },
            new FormField(TicketRoutes.Fields.Description, "Description", FormFieldKind.MultilineText) { MaxLength = TicketCommandParser.MaxDescriptionLength, Initial = description, Placeholder = "What you tried, what you expected, links" },
            new FormField(TicketRoutes.Fields.Priority, "Priority", FormFieldKind.Select)
            {
                Required = true,
                Initial = (draft?.Priority ?? TicketPriority.P3).ToString(),
                Options = [new Option("P1: down for many, no workaround", "P1"), new Option("P2: badly impaired", "P2"), new Option("P3: normal", "P3"), new Option("P4: question or small request", "P4")],
            },
            new FormField(TicketRoutes.Fields.Category, "Category") { MaxLength = 32, Initial = draft?.Category, Placeholder = "network, ci, access…" },
            new FormField(TicketRoutes.Fields.Service, "Affected service") { MaxLength = TicketService.MaxServiceLength, Initial = draft?.Service },
        ])
        {
            SubmitLabel = "File ticket",
            State = draft?.IdempotencyKey,
        };
    }

    public static string StateWords(TicketState state) => state switch
    {
        TicketState.InProgress => "In progress",
        TicketState.WaitingOnRequester => "Waiting on requester",
        _ => state.ToString(),
    };

    public static string VerbWords(TicketVerb verb) => verb switch
    {
        TicketVerb.Acknowledge => "ack",
        _ => verb.ToString().ToLowerInvariant(),
    };

    /// <summary>First response, the current next-response round if any, and resolution.</summary>
    internal static IEnumerable<SlaTimer> CurrentTimers(Ticket ticket) =>
        new[] { ticket.Timer(SlaMetric.FirstResponse), ticket.Timer(SlaMetric.NextResponse) is { IsRunning: true } next ? next : null, ticket.Timer(SlaMetric.Resolution) }
            .Where(t => t is not null)!;

    private string ClockShort(SlaTimer timer, DateTimeOffset now, TimeZoneInfo zone)
    {
        var elapsed = timer.Elapsed(now, sla.Calendar(timer.Calendar));
        return timer.Status switch
        {
            SlaTimerStatus.Stopped when timer.Breached => $"breached (took {TimeWords.Duration(elapsed)} of {TimeWords.Duration(timer.Target)})",
            SlaTimerStatus.Stopped => $"met in {TimeWords.Duration(elapsed)}",
            SlaTimerStatus.Paused => "paused: waiting on requester",
            _ when timer.Breached || timer.DueAt <= now => $"overdue since {TimeWords.At(timer.DueAt ?? now, zone)}",
            _ => $"due {TimeWords.At(timer.DueAt ?? now, zone)}",
        };
    }

    private static bool IsCancelled(Ticket ticket, SlaTimer timer) => timer.Metric == SlaMetric.FirstResponse && ticket.FirstResponseCancelled;

    private string Unanswered(SlaTimer timer)
    {
        var elapsed = timer.Elapsed(timer.StoppedAt ?? timer.StartedAt, sla.Calendar(timer.Calendar));
        return timer.Breached
            ? $"breached: closed unanswered after {TimeWords.Duration(elapsed)} of {TimeWords.Duration(timer.Target)}"
            : "none: closed unanswered";
    }

    private RichText UnansweredExplained(Ticket ticket, SlaTimer timer, TimeZoneInfo zone)
    {
        var closed = TimeWords.At(timer.StoppedAt ?? ticket.UpdatedAt, zone);
        var elapsed = timer.Elapsed(timer.StoppedAt ?? timer.StartedAt, sla.Calendar(timer.Calendar));
        return timer.Breached
            ? Md.Text($"*First response*: none; {ticket.Id} was closed {closed} unanswered, after {TimeWords.Duration(elapsed)} of working time: over its {TimeWords.Duration(timer.Target)} target. Reopening it runs the clock again.")
            : Md.Text($"*First response*: none; {ticket.Id} was closed {closed} before the platform team answered, so it counts as neither met nor missed. Reopening it runs the clock again.");
    }

    private string NextDue(Ticket ticket, DateTimeOffset now) =>
        ticket.IsOpen && CurrentTimers(ticket).Where(t => t.IsRunning).MinBy(t => t.DueAt) is { } timer
            ? $" · {TimeWords.MetricName(timer.Metric)} {ClockShort(timer, now, TeamZone)}"
            : string.Empty;

    private static ImmutableArray<ActionElement> Buttons(Ticket ticket) => ticket.IsOpen
        ?
        [
            .. ticket.State == TicketState.New ? [new Button(TicketRoutes.Acknowledge, "Acknowledge", ticket.Id, ButtonStyle.Primary)] : Array.Empty<ActionElement>(),
            new Button(TicketRoutes.AssignToMe, "Assign to me", ticket.Id),
            new Button(TicketRoutes.Resolve, "Resolve", ticket.Id),
            new Button(TicketRoutes.Escalate, "Escalate", ticket.Id, ButtonStyle.Danger),
            new Button(TicketRoutes.Sla, "When will I hear back?", ticket.Id),
        ]
        : [new Button(TicketRoutes.Reopen, "Reopen", ticket.Id), new Button(TicketRoutes.Sla, "When will I hear back?", ticket.Id)];

    private static string Comments(int count) => count == 1 ? "1 comment" : $"{count} comments";

    private static string Percent(double fraction) => $"{Math.Round(fraction * 100):0}%";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
