using System.Globalization;
using System.Text.RegularExpressions;
using PlatformBot.Conversations;
using PlatformBot.Routing;

namespace PlatformBot.Features.Tickets;

internal abstract record TicketCommand;

/// <summary><c>/ticket VPN is down p2 #network</c>.</summary>
internal sealed record FileTicket(string Summary, TicketPriority Priority, string? Category) : TicketCommand;

/// <summary><c>/ticket</c> with no text.</summary>
internal sealed record OpenTicketForm : TicketCommand;

internal sealed record ListTickets(TicketListKind Kind) : TicketCommand;

internal sealed record ShowTicket(string Id) : TicketCommand;

internal sealed record ExplainSla(string Id) : TicketCommand;

/// <summary>A change: ack, assign, wait, resolve, reopen, close, comment, priority.</summary>
internal sealed record ChangeTicket(TicketVerb Verb, string Id) : TicketCommand
{
    public string? Text { get; init; }

    /// <summary>For assign: <c>me</c>, a user id, or a mention as the channel wrote it.</summary>
    public string? Assignee { get; init; }

    public TicketPriority? Priority { get; init; }
}

internal sealed record TicketUsage : TicketCommand;

/// <summary>Input that cannot be a command; <see cref="Message"/> says what is wrong and how to write it.</summary>
internal sealed record TicketParseError(RichText Message) : TicketCommand;

/// <summary>The one grammar of <c>/ticket</c> in every channel. Pure: text in, command out.</summary>
internal static partial class TicketCommandParser
{
    public const int MaxSummaryLength = 150;
    public const int MaxDescriptionLength = 3000;
    public const int MaxCommentLength = 3000;

    public const string Usage =
        "`/ticket <summary> [p1..p4] [#category]` files a ticket (P3 unless you say otherwise); `/ticket` alone opens a form.\n" +
        "`/ticket list [mine|open|all|breaching]`, `/ticket show <id>`, `/ticket sla <id>`, `/ticket comment <id> <text>`,\n" +
        "`/ticket close <id>`, `/ticket reopen <id>`; for the platform team also `/ticket ack <id>`, `/ticket assign <id> <user|me>`,\n" +
        "`/ticket wait <id>`, `/ticket resolve <id> [note]`, `/ticket priority <id> <p1..p4>`.";

    private static readonly Dictionary<string, TicketVerb> Changes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ack"] = TicketVerb.Acknowledge,
        ["assign"] = TicketVerb.Assign,
        ["wait"] = TicketVerb.Wait,
        ["resolve"] = TicketVerb.Resolve,
        ["reopen"] = TicketVerb.Reopen,
        ["close"] = TicketVerb.Close,
        ["comment"] = TicketVerb.Comment,
        ["priority"] = TicketVerb.Priority,
    };

    public static TicketCommand Parse(string text, string prefix)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return new OpenTicketForm();
        }

        var (verb, rest) = CommandText.SplitVerb(trimmed);
        if (verb == "help")
        {
            return new TicketUsage();
        }

        if (verb == "list")
        {
            return ParseList(rest) ?? ParseSummary(trimmed);
        }

        var takesId = verb is "show" or "sla" || Changes.ContainsKey(verb);
        if (!takesId)
        {
            return ParseSummary(trimmed);
        }

        var (idWord, after) = SplitFirst(rest);
        if (idWord.Length == 0)
        {
            return new TicketParseError(Md.Text($"Which ticket? Write `/ticket {verb} <id>`, for example `/ticket {verb} {prefix}-42`."));
        }

        if (!LooksLikeId(idWord))
        {
            return ParseSummary(trimmed); // "/ticket close the firewall port" is a summary, not a command
        }

        if (NormalizeId(idWord, prefix) is not { } id)
        {
            return new TicketParseError(Md.Text($"`{idWord}` is not a ticket id; ids look like {prefix}-42."));
        }

        return verb switch
        {
            "show" => new ShowTicket(id),
            "sla" => new ExplainSla(id),
            _ => ParseChange(Changes[verb], verb, id, after),
        };
    }

    /// <summary>P1…P4 from <c>p1</c>…<c>p4</c> (any case), or null.</summary>
    public static TicketPriority? ParsePriority(string word) =>
        PriorityWord().IsMatch(word) && int.TryParse(word.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4
            ? (TicketPriority)n
            : null;

    /// <summary><c>PLAT-42</c>, <c>plat-42</c> or <c>42</c> as <c>PLAT-42</c>; null for anything else.</summary>
    public static string? NormalizeId(string word, string prefix)
    {
        var w = word.Trim().TrimStart('#');
        if (int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var bare) && bare > 0)
        {
            return $"{prefix}-{bare}";
        }

        var dash = w.LastIndexOf('-');
        return dash > 0 && int.TryParse(w.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? $"{w[..dash].ToUpperInvariant()}-{number}"
            : null;
    }

    /// <summary>A category tag: <c>#network</c> → <c>network</c>; null when the word is not one.</summary>
    public static string? ParseCategory(string word) => CategoryTag().IsMatch(word) ? word[1..].ToLowerInvariant() : null;

    private static TicketCommand? ParseList(string rest)
    {
        var word = rest.Trim().ToLowerInvariant();
        return word switch
        {
            "" or "mine" => new ListTickets(TicketListKind.Mine),
            "open" => new ListTickets(TicketListKind.Open),
            "all" => new ListTickets(TicketListKind.All),
            "breaching" => new ListTickets(TicketListKind.Breaching),
            _ when !word.Contains(' ', StringComparison.Ordinal) => new TicketParseError(Md.Text($"`/ticket list` shows `mine`, `open`, `all` or `breaching`, not `{rest.Trim()}`.")),
            _ => null,
        };
    }

    private static TicketCommand ParseChange(TicketVerb verb, string word, string id, string after) => verb switch
    {
        TicketVerb.Assign when after.Length == 0 => new TicketParseError(Md.Text($"Assign {id} to whom? Write `/ticket assign {id} me` or `/ticket assign {id} <user>`.")),
        TicketVerb.Assign when after.Contains(' ', StringComparison.Ordinal) && !after.StartsWith('<') => new TicketParseError(Md.Text($"Assign {id} to one person: `/ticket assign {id} <user|me>`.")),
        TicketVerb.Assign => new ChangeTicket(verb, id) { Assignee = after },
        TicketVerb.Priority when after.Length == 0 => new TicketParseError(Md.Text($"Which priority? Write `/ticket priority {id} p2` (p1 is the most urgent, p4 the least).")),
        TicketVerb.Priority => ParsePriority(after) is { } p
            ? new ChangeTicket(verb, id) { Priority = p }
            : new TicketParseError(Md.Text($"`{after}` is not a priority; use p1 (most urgent), p2, p3 or p4 (least).")),
        TicketVerb.Comment when after.Length == 0 => new TicketParseError(Md.Text($"What is the comment? Write `/ticket comment {id} <text>`.")),
        TicketVerb.Comment or TicketVerb.Resolve when after.Length > MaxCommentLength =>
            new TicketParseError(Md.Text($"That text is {after.Length:N0} characters long; the limit is {MaxCommentLength:N0}.")),
        TicketVerb.Comment or TicketVerb.Resolve => new ChangeTicket(verb, id) { Text = after.Length == 0 ? null : after },
        _ when after.Length > 0 => new TicketParseError(Md.Text($"`/ticket {word} {id}` takes nothing more; I did not understand `{after}`.")),
        _ => new ChangeTicket(verb, id),
    };

    private static TicketCommand ParseSummary(string text)
    {
        TicketPriority? priority = null;
        string? category = null;
        var words = new List<string>();
        foreach (var word in text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (PriorityWord().IsMatch(word))
            {
                if (ParsePriority(word) is not { } p)
                {
                    return new TicketParseError(Md.Text($"`{word}` is not a priority; use p1 (most urgent), p2, p3 or p4 (least). Without one a ticket is P3."));
                }

                if (priority is { } earlier && earlier != p)
                {
                    return new TicketParseError(Md.Text($"Two priorities ({earlier} and {p}); give one."));
                }

                priority = p;
                continue;
            }

            if (category is null && ParseCategory(word) is { } tag)
            {
                category = tag;
                continue;
            }

            words.Add(word);
        }

        var summary = string.Join(' ', words);
        if (summary.Length == 0)
        {
            return new TicketParseError(Md.Text($"The summary is empty: say what is wrong, e.g. `/ticket p2 #network VPN drops every hour`, or type `/ticket` alone for the form."));
        }

        if (summary.Length > MaxSummaryLength)
        {
            return new TicketParseError(Md.Text($"The summary is {summary.Length:N0} characters long; the limit is {MaxSummaryLength}. Keep it to one line and add details with `/ticket comment`, or type `/ticket` alone for the form (its description takes up to {MaxDescriptionLength:N0})."));
        }

        return new FileTicket(summary, priority ?? TicketPriority.P3, category);
    }

    private static bool LooksLikeId(string word) => IdShape().IsMatch(word);

    private static (string First, string Remainder) SplitFirst(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny([' ', '\t', '\n']);
        return end < 0 ? (trimmed, string.Empty) : (trimmed[..end], trimmed[end..].Trim());
    }

    [GeneratedRegex("^[pP][0-9]+$")]
    private static partial Regex PriorityWord();

    [GeneratedRegex("^#[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex CategoryTag();

    [GeneratedRegex("^(#?[0-9]+|[A-Za-z][A-Za-z0-9]{0,9}-[0-9A-Za-z]+)$")]
    private static partial Regex IdShape();
}
