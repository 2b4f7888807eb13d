using PlatformBot.Conversations;

namespace PlatformBot.Features.Escalation;

internal abstract record EscalationCommand;

internal sealed record EscalateTicket(string TicketId, string Reason) : EscalationCommand;

/// <param name="At">The words after <c>at</c>, not yet read as a time (that needs the reader's zone and the clock).</param>
internal sealed record DryRunCommand(string Priority, IReadOnlyList<string> At, string? Category) : EscalationCommand;

internal sealed record EscalationUsage(RichText? Problem) : EscalationCommand;

internal abstract record OnCallCommand;

internal sealed record ShowOnCall(string? Schedule) : OnCallCommand;

internal sealed record OverrideOnCall(string Schedule, string Person, IReadOnlyList<string> Times) : OnCallCommand;

internal sealed record ListOverrides : OnCallCommand;

internal sealed record OnCallUsage(RichText? Problem) : OnCallCommand;

/// <summary>Reads <c>/escalate</c> and <c>/oncall</c>. Pure.</summary>
internal static class EscalationCommandParser
{
    public const string EscalateUsage = "`/escalate <ticket> <reason>`: page whoever is on call for the ticket (requesters: your own tickets, then not again until the cooldown has passed)\n"
        + "`/escalate dryrun <priority> [at <time>] [category <name>]`: who would be paged, minute by minute, if such a ticket arrived then";

    public const string OnCallUsageText = "`/oncall`: who is on call now and next in each schedule\n"
        + "`/oncall <schedule>`: the schedule's next shifts\n"
        + "`/oncall override <schedule> <user> <from> <to>`: put someone on call for a while (agents; times in the schedule's zone)\n"
        + "`/oncall overrides`: the overrides still to come, with Cancel buttons (agents)";

    public static EscalationCommand ParseEscalate(string text)
    {
        var words = Words(text);
        if (words.Count == 0 || words[0].Equals("help", StringComparison.OrdinalIgnoreCase))
        {
            return new EscalationUsage(null);
        }

        if (words[0].Equals("dryrun", StringComparison.OrdinalIgnoreCase) || words[0].Equals("dry-run", StringComparison.OrdinalIgnoreCase))
        {
            return ParseDryRun(words);
        }

        var ticket = words[0].ToUpperInvariant();
        var reason = text.Trim()[words[0].Length..].Trim();
        return reason.Length == 0
            ? new EscalationUsage(Md.Text($"Say why you escalate: `/escalate {ticket} <reason>`."))
            : new EscalateTicket(ticket, reason);
    }

    public static OnCallCommand ParseOnCall(string text)
    {
        var words = Words(text);
        if (words.Count == 0)
        {
            return new ShowOnCall(null);
        }

        switch (words[0].ToLowerInvariant())
        {
            case "help":
                return new OnCallUsage(null);
            case "overrides":
                return new ListOverrides();
            case "override" when words.Count >= 5 && words.Count <= 7:
                return new OverrideOnCall(words[1], words[2], [.. words.Skip(3)]);
            case "override":
                return new OnCallUsage(Md.Text($"Write `/oncall override <schedule> <user> <from> <to>`, e.g. `/oncall override primary omar saturday 09:00 sunday 09:00`."));
            default:
                return words.Count == 1 ? new ShowOnCall(words[0]) : new OnCallUsage(null);
        }
    }

    private static EscalationCommand ParseDryRun(List<string> words)
    {
        if (words.Count < 2 || EscalationBook.NormalizePriority(words[1]) is not { } priority)
        {
            return new EscalationUsage(Md.Text($"Name a priority ({string.Join(", ", EscalationBook.Priorities)}): `/escalate dryrun P3 at saturday 02:00`."));
        }

        var at = new List<string>();
        string? category = null;
        for (var i = 2; i < words.Count; i++)
        {
            var word = words[i].ToLowerInvariant();
            if (word == "at" && at.Count == 0)
            {
                while (i + 1 < words.Count && !words[i + 1].Equals("category", StringComparison.OrdinalIgnoreCase))
                {
                    at.Add(words[++i]);
                }

                if (at.Count == 0)
                {
                    return new EscalationUsage(Md.Text($"Say when after `at`: {Md.Raw(TimeExpression.Examples)}."));
                }
            }
            else if (word == "category" && category is null && i + 1 < words.Count)
            {
                category = words[++i];
            }
            else
            {
                return new EscalationUsage(Md.Text($"I don't understand `{words[i]}` there: `/escalate dryrun <priority> [at <time>] [category <name>]`."));
            }
        }

        return new DryRunCommand(priority, at, category);
    }

    private static List<string> Words(string text) =>
        [.. text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
