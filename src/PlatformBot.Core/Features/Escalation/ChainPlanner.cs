namespace PlatformBot.Features.Escalation;

/// <summary>Where a chain stands: the level it pages next, in which round (0 for the first pass, then each repeat).</summary>
internal sealed record ChainPosition(int Level, int Round);

internal enum RecipientKind
{
    Person,
    Channel,
}

/// <summary>Someone (or some channel) a level pages, and why: <c>on call in primary</c>.</summary>
internal sealed record Recipient(RecipientKind Kind, string Id, string Via);

internal abstract record ChainStep;

/// <summary>Page <paramref name="Recipients"/> as level <paramref name="Level"/>, then wait <paramref name="After"/> before <paramref name="Next"/>.</summary>
/// <param name="SkippedLevels">Levels passed over on the way because nobody could be paged in them.</param>
internal sealed record PageStep(int Level, int Round, IReadOnlyList<Recipient> Recipients, IReadOnlyList<int> SkippedLevels, TimeSpan After, ChainPosition Next) : ChainStep;

/// <summary>Outside the policy's business hours: nothing now, try again at <paramref name="Until"/>.</summary>
internal sealed record WaitStep(DateTimeOffset Until) : ChainStep;

/// <summary>Every level of every round has been paged and nobody acknowledged.</summary>
internal sealed record ExhaustedStep(IReadOnlyList<int> SkippedLevels) : ChainStep;

/// <summary>One entry of a dry run: what happens at which instant.</summary>
internal sealed record PlannedStep(DateTimeOffset At, ChainStep Step);

/// <summary>
/// How a chain moves: the one piece of logic behind both the live chains (the sweep) and <c>/escalate dryrun</c>. Pure:
/// who is on call comes in through <c>resolve</c>, the instant through <c>at</c>.
/// </summary>
internal static class ChainPlanner
{
    public delegate IEnumerable<Recipient> Resolve(EscalationTarget target, DateTimeOffset at);

    public static ChainStep Next(EscalationPolicy policy, string priority, ChainPosition position, DateTimeOffset at, Resolve resolve)
    {
        if (!policy.PageAfterHours && EscalationPolicy.IsLowPriority(priority) && policy.CalendarFor(priority) is var calendar && !calendar.IsOpen(at))
        {
            return EscalationPolicy.NextOpen(calendar, at) is { } open ? new WaitStep(open) : new ExhaustedStep([]);
        }

        var skipped = new List<int>();
        for (var current = Normalize(policy, position); current is not null; current = Normalize(policy, current with { Level = current.Level + 1 }))
        {
            var level = policy.Levels[current.Level];
            var recipients = level.Targets.SelectMany(t => resolve(t, at)).DistinctBy(r => (r.Kind, r.Id)).ToList();
            if (recipients.Count > 0)
            {
                return new PageStep(current.Level, current.Round, recipients, skipped, level.After, current with { Level = current.Level + 1 });
            }

            skipped.Add(current.Level);
        }

        return new ExhaustedStep(skipped);
    }

    /// <summary>The whole chain from <paramref name="start"/> when nobody acknowledges.</summary>
    public static IReadOnlyList<PlannedStep> Simulate(EscalationPolicy policy, string priority, DateTimeOffset start, Resolve resolve)
    {
        var steps = new List<PlannedStep>();
        var at = start;
        var position = new ChainPosition(0, 0);
        var limit = (policy.Levels.Count * (policy.Repeat + 1) * 2) + 2;
        while (steps.Count < limit)
        {
            var step = Next(policy, priority, position, at, resolve);
            steps.Add(new PlannedStep(at, step));
            switch (step)
            {
                case WaitStep wait:
                    at = wait.Until;
                    break;
                case PageStep page:
                    at += page.After;
                    position = page.Next;
                    break;
                default:
                    return steps;
            }
        }

        return steps;
    }

    /// <summary>Where a chain at <paramref name="position"/> goes next, or null when it ends there.</summary>
    public static ChainPosition? Peek(EscalationPolicy policy, ChainPosition position) => Normalize(policy, position);

    /// <summary>The position itself, the first level of the next round past the last level, or null when the chain is done.</summary>
    private static ChainPosition? Normalize(EscalationPolicy policy, ChainPosition position) =>
        position.Level < policy.Levels.Count ? position
        : position.Round < policy.Repeat ? new ChainPosition(0, position.Round + 1)
        : null;
}
