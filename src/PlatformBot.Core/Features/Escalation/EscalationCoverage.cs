using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlatformBot.Conversations;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Features.Platform;

namespace PlatformBot.Features.Escalation;

/// <summary>
/// Gaps in the escalation paths over the next 14 days: a schedule with nobody on call at some hour, a policy whose last
/// level has nobody to acknowledge, a person no channel can reach. With <c>askChannels</c> each configured channel is asked
/// to open a DM with each person (Slack's conversations.open, Teams' stored conversations); without it only the
/// configuration is read, so a start does not call out to Slack for every person.
/// </summary>
internal sealed class EscalationCoverage(EscalationBook book, OnCallRoster roster, PeopleDirectory people, EscalationEngine engine, TimeProvider time)
{
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(14);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<string>> CheckAsync(bool askChannels, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hours = Enumerable.Range(0, (int)Horizon.TotalHours).Select(h => now + TimeSpan.FromHours(h)).ToList();
        var gaps = new List<string>();

        foreach (var name in roster.Schedules)
        {
            var timeline = roster.Timeline(name, now)!;
            foreach (var (from, to) in Ranges(hours, h => timeline.Who(h) is null))
            {
                gaps.Add($"Schedule {name} has nobody on call from {ZonedTime.Format(from, timeline.Rotation.Zone)} to {ZonedTime.Format(to, timeline.Rotation.Zone)} {timeline.Rotation.Zone.Id}.");
            }
        }

        foreach (var policy in book.Policies.Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var last = policy.Levels[^1];
            if (last.Targets.All(t => t.Kind == TargetKind.Channel))
            {
                gaps.Add($"Policy {policy.Name}: its last level pages only channels ({string.Join(", ", last.Targets)}), so no one in particular is asked to acknowledge.");
                continue;
            }

            foreach (var (from, to) in Ranges(hours, h => !last.Targets.SelectMany(t => engine.Resolve(t, h)).Any(r => r.Kind == RecipientKind.Person)))
            {
                gaps.Add($"Policy {policy.Name}: its last level has nobody to acknowledge from {ZonedTime.Format(from, engine.TeamZone)} to {ZonedTime.Format(to, engine.TeamZone)} {engine.TeamZone.Id}.");
            }
        }

        var targets = book.Policies.Values.SelectMany(p => p.Levels).SelectMany(l => l.Targets).ToList();
        foreach (var channel in targets.Where(t => t.Kind == TargetKind.Channel).Select(t => t.Name).Distinct(StringComparer.Ordinal))
        {
            var address = people.Conversation(channel);
            if (address is null || !people.IsConfigured(address.Channel))
            {
                gaps.Add($"Target channel:{channel} cannot be posted to: its channel ({address?.Channel ?? "none"}) is not configured.");
            }
        }

        var persons = book.Rotations.Values.SelectMany(r => r.Members)
            .Concat(targets.Where(t => t.Kind == TargetKind.User).Select(t => t.Name))
            .Concat(roster.CurrentOverrides(now).Where(o => Stored.Read(o.From) < now + Horizon).Select(o => o.Member))
            .Distinct(StringComparer.Ordinal);
        foreach (var person in persons)
        {
            if ((askChannels ? await ProbeAsync(person, cancellationToken) : Reachable(person)) is { } gap)
            {
                gaps.Add(gap);
            }
        }

        return gaps;
    }

    /// <summary>From the configuration alone: a gap when no configured channel can page the person.</summary>
    private string? Reachable(string person) =>
        people.Person(person) is { } user && people.IsConfigured(user.Channel)
            ? null
            : $"User {person} is unknown to every channel ({(people.Person(person)?.Channel is { } channel ? channel + " is not configured" : "no channel is configured")}): pages to them cannot be delivered.";

    /// <summary>Asks each channel the person may live in to open a DM; a gap when none can, or when the paging channel cannot.</summary>
    private async Task<string?> ProbeAsync(string person, CancellationToken cancellationToken)
    {
        var paged = people.Person(person);
        var known = new List<string>();
        var failures = new List<string>();
        foreach (var channel in people.CandidateChannels(person))
        {
            if (people.Sender(channel) is not { } sender)
            {
                failures.Add($"{channel}: not configured");
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                await sender.OpenDirectAsync(people.PersonIn(person, channel), timeout.Token);
                known.Add(channel);
            }
            catch (ChannelSendException ex)
            {
                failures.Add($"{channel}: {ex.Message}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{channel}: no answer within {ProbeTimeout.TotalSeconds:0} s");
            }
        }

        if (known.Count == 0)
        {
            return $"User {person} is unknown to every channel ({(failures.Count == 0 ? "no channel is configured" : string.Join("; ", failures))}): pages to them cannot be delivered.";
        }

        return paged is not null && !known.Contains(paged.Channel, StringComparer.OrdinalIgnoreCase)
            ? $"User {person} is paged through {paged.Channel}, which does not know them; {string.Join(", ", known)} does: write {known[0]}:{paged.Id} in the configuration."
            : null;
    }

    /// <summary>Consecutive hours for which <paramref name="gap"/> holds, as ranges.</summary>
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Ranges(List<DateTimeOffset> hours, Func<DateTimeOffset, bool> gap)
    {
        DateTimeOffset? start = null;
        foreach (var hour in hours)
        {
            if (gap(hour))
            {
                start ??= hour;
            }
            else if (start is { } s)
            {
                yield return (s, hour);
                start = null;
            }
        }

        if (start is { } open)
        {
            yield return (open, hours[^1] + TimeSpan.FromHours(1));
        }
    }
}

/// <summary><c>/platform escalation check</c>: the coverage gaps, for admins.</summary>
internal sealed class EscalationCheckSubcommand(EscalationCoverage coverage) : IPlatformSubcommand
{
    public string Verb => "escalation";

    public string Usage => "`/platform escalation check`: gaps in on-call schedules and escalation policies over the next 14 days";

    public async Task<Reply> HandleAsync(IncomingCommand command, string arguments, CancellationToken cancellationToken)
    {
        if (!arguments.Trim().Equals("check", StringComparison.OrdinalIgnoreCase))
        {
            return Reply.Private(Md.Parse("Usage: " + Usage));
        }

        var gaps = await coverage.CheckAsync(askChannels: true, cancellationToken);
        return gaps.Count == 0
            ? Reply.Private(Md.Text($"No gaps: every schedule has someone on call at every hour of the next 14 days, every policy's last level has someone to acknowledge, and every channel knows every person."))
            : new Reply
            {
                Visibility = ReplyVisibility.OnlyRequester,
                Blocks =
                [
                    new HeaderBlock(Md.Text($"Escalation coverage: {gaps.Count} gap(s) in the next 14 days")),
                    new TextBlock(Md.Lines(gaps.Select(g => Md.Text($"• {g}")))),
                ],
            };
    }
}

/// <summary>Logs the coverage gaps once the host has started (channels are up by then).</summary>
internal sealed partial class EscalationCoverageLog(EscalationCoverage coverage, ILogger<EscalationCoverageLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var gaps = await coverage.CheckAsync(askChannels: false, stoppingToken);
            foreach (var gap in gaps)
            {
                LogGap(gap);
            }

            if (gaps.Count == 0)
            {
                LogNoGaps();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation coverage gap: {Gap}")]
    private partial void LogGap(string gap);

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation coverage: no gaps in the next 14 days (/platform escalation check also asks each channel whether it knows every person)")]
    private partial void LogNoGaps();

    [LoggerMessage(Level = LogLevel.Error, Message = "The escalation coverage check failed")]
    private partial void LogCheckFailed(Exception ex);
}
