using System.Collections.Immutable;
using PlatformBot.Conversations;

namespace PlatformBot.Features.Escalation;

/// <summary>The messages escalation sends: pings, thread lines, dry runs. Neutral cards; no channel words.</summary>
internal static class EscalationReplies
{
    /// <summary>A ping: the ticket, why, and Acknowledge / Reassign / Snooze.</summary>
    /// <param name="step">"level 1 of 3", "reassigned by dana", "again after a snooze".</param>
    /// <param name="thread">Where the ticket's thread is ("#support"), when its card was posted.</param>
    /// <param name="next">What happens without an answer ("level 2 is paged at 10:15 Europe/Berlin").</param>
    public static Reply Page(TicketFacts ticket, EscalationChain chain, string step, string? thread, string next, string cardKey) => new()
    {
        CardKey = cardKey,
        Summary = $"{ticket.Priority} {ticket.Id} escalated to you: {ticket.Summary}",
        Blocks =
        [
            new HeaderBlock(Md.Text($"Escalation: {ticket.Id} ({ticket.Priority})")),
            new SectionBlock(Md.Text($"*{ticket.Summary}*"),
            [
                new Field("Priority", Md.Text($"{ticket.Priority}")),
                new Field("SLA", Md.Text($"{ticket.SlaState}")),
                new Field("Why", Md.Text($"{chain.Why}")),
                new Field("Step", Md.Text($"{step} · policy `{chain.Policy}`")),
                new Field("Requester", Md.Text($"{ticket.Requester.Name}")),
                new Field("Thread", thread is null ? Md.Text($"under the {ticket.Id} card (`/ticket show {ticket.Id}`)") : Md.Text($"the thread of {ticket.Id} in {thread}")),
            ]),
            new ActionsBlock(
            [
                new Button(EscalationRoutes.Acknowledge, "Acknowledge", chain.Id, ButtonStyle.Primary),
                new Button(EscalationRoutes.Reassign, "Reassign", chain.Id),
                new Button(EscalationRoutes.Snooze, "Snooze 15 min", chain.Id),
            ]),
            new ContextBlock([Md.Text($"Nobody acknowledges → {next}.")]),
        ],
    };

    /// <summary>A ping after the fact: what became of it, without buttons.</summary>
    public static Reply Settled(TicketFacts ticket, RichText outcome) => new()
    {
        Blocks =
        [
            new HeaderBlock(Md.Text($"Escalation: {ticket.Id} ({ticket.Priority})")),
            new SectionBlock(Md.Text($"*{ticket.Summary}*"), []),
            new ContextBlock([outcome]),
        ],
    };

    public static RichText Names(IEnumerable<UserRef> people, IEnumerable<ConversationAddress> channels)
    {
        var parts = people.Select(p => Md.Text($"{Md.Mention(p)}"))
            .Concat(channels.Select(c => Md.Text($"#{c.ConversationId}")))
            .ToList();
        var text = RichText.Empty;
        for (var i = 0; i < parts.Count; i++)
        {
            text = text.Append(i == 0 ? RichText.Empty : Md.Text($", ")).Append(parts[i]);
        }

        return text;
    }

    public static Reply Thread(RichText line) => Reply.Text(line);

    public static Reply DryRun(string priority, string? category, EscalationPolicy? policy, DateTimeOffset at, TimeZoneInfo reader, IReadOnlyList<PlannedStep> steps, Func<Recipient, string> name)
    {
        var when = $"{ZonedTime.Format(at, reader)} {reader.Id}";
        var what = category is null ? priority : $"{priority} in category {category}";
        if (policy is null)
        {
            return Reply.Private(Md.Text($"Dry run: a {what} ticket at {when} matches no escalation rule and there is no `Escalation:DefaultPolicy`, so nobody would be paged."));
        }

        var lines = new List<RichText>();
        foreach (var planned in steps)
        {
            var offset = Offset(planned.At - at);
            switch (planned.Step)
            {
                case WaitStep wait:
                    lines.Add(Md.Text($"• `{offset}` outside business hours ({policy.CalendarFor(priority).Describe()}): waits until {ZonedTime.Format(wait.Until, reader)}"));
                    break;
                case PageStep page:
                    var who = string.Join(", ", page.Recipients.Select(r => $"{name(r)} ({r.Via})"));
                    var skipped = page.SkippedLevels.Count > 0 ? $" (level {string.Join(", ", page.SkippedLevels.Select(l => l + 1))} skipped: nobody to page)" : string.Empty;
                    var round = page.Round > 0 ? $", repeat {page.Round}" : string.Empty;
                    lines.Add(Md.Text($"• `{offset}` {ZonedTime.Format(planned.At, reader)}: level {page.Level + 1}{round} pages {who}{skipped}"));
                    break;
                case ExhaustedStep:
                    lines.Add(Md.Text($"• `{offset}` nobody acknowledged: the chain ends"));
                    break;
                default:
                    break;
            }
        }

        var repeat = policy.Repeat > 0 ? $", repeats {policy.Repeat} time(s)" : string.Empty;
        return new Reply
        {
            Visibility = ReplyVisibility.OnlyRequester,
            Blocks =
            [
                new HeaderBlock(Md.Text($"Dry run: {what} at {when}")),
                new TextBlock(Md.Text($"Policy `{policy.Name}` ({policy.Levels.Count} level(s){repeat}; after hours: {(policy.PageAfterHours ? "page" : "P3/P4 wait")}). If nobody acknowledges:")),
                new TextBlock(Md.Lines(lines)),
                new ContextBlock([Md.Text($"Nothing was sent. Times in {reader.Id}.")]),
            ],
        };
    }

    /// <summary><c>+10 min</c>, <c>+1 h 30 min</c>, <c>+2 d 7 h</c>.</summary>
    public static string Offset(TimeSpan span)
    {
        var minutes = (int)Math.Round(span.TotalMinutes);
        var (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        var parts = new List<string>();
        if (days > 0)
        {
            parts.Add($"{days} d");
        }

        if (hours > 0)
        {
            parts.Add($"{hours} h");
        }

        if (mins > 0 || parts.Count == 0)
        {
            parts.Add($"{mins} min");
        }

        return "+" + string.Join(' ', parts);
    }

    /// <summary>A command's usage, after what was wrong when something was.</summary>
    public static Reply Usage(RichText? problem, string usage) =>
        Reply.Private(problem is null ? Md.Parse(usage) : problem.Append(Md.Text($"\n")).Append(Md.Parse(usage)));

    public static ImmutableArray<Option> PeopleOptions(IEnumerable<string> people) =>
        [.. people.Order(StringComparer.OrdinalIgnoreCase).Select(p => new Option(p, p))];
}
