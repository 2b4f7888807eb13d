namespace PlatformBot.Features.Escalation.OnCall;

/// <summary>Someone on call instead of the rotation, from one instant to another; the latest made wins where they overlap.</summary>
internal sealed record OverrideWindow(int Id, string Member, DateTimeOffset From, DateTimeOffset To);

/// <summary>A stretch of time in which the same person is on call.</summary>
/// <param name="Until">When someone else takes over; null when nobody else ever does (a one-person rotation).</param>
/// <param name="Next">Who takes over at <paramref name="Until"/>; null when nobody is on call then.</param>
internal sealed record OnCallSegment(string? Member, bool IsOverride, DateTimeOffset? Until, string? Next);

/// <summary>A schedule's rotation with its overrides laid over it. Pure: the overrides are passed in.</summary>
internal sealed class OnCallTimeline(Rotation rotation, IReadOnlyList<OverrideWindow> overrides)
{
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(62);

    public Rotation Rotation => rotation;

    /// <summary>Who is on call at <paramref name="at"/>: an override covering it, else the rotation; null before the rotation starts.</summary>
    public string? Who(DateTimeOffset at) => Covering(at)?.Member ?? rotation.ShiftAt(at)?.Member;

    public OnCallSegment SegmentAt(DateTimeOffset at)
    {
        var member = Who(at);
        var isOverride = Covering(at) is not null;
        foreach (var boundary in BoundariesAfter(at))
        {
            var next = Who(boundary);
            if (!string.Equals(next, member, StringComparison.Ordinal) || (Covering(boundary) is not null) != isOverride)
            {
                return new OnCallSegment(member, isOverride, boundary, next);
            }
        }

        return new OnCallSegment(member, isOverride, null, null);
    }

    /// <summary>The segments from <paramref name="at"/> on, at most <paramref name="count"/>.</summary>
    public IReadOnlyList<(DateTimeOffset From, OnCallSegment Segment)> Upcoming(DateTimeOffset at, int count)
    {
        var list = new List<(DateTimeOffset, OnCallSegment)>();
        var from = at;
        while (list.Count < count)
        {
            var segment = SegmentAt(from);
            list.Add((from, segment));
            if (segment.Until is not { } until)
            {
                break;
            }

            from = until;
        }

        return list;
    }

    private OverrideWindow? Covering(DateTimeOffset at) =>
        overrides.Where(o => o.From <= at && at < o.To).MaxBy(o => o.Id);

    private SortedSet<DateTimeOffset> BoundariesAfter(DateTimeOffset at)
    {
        var end = at + Horizon;
        var candidates = new SortedSet<DateTimeOffset>();
        foreach (var o in overrides)
        {
            if (o.From > at && o.From <= end)
            {
                candidates.Add(o.From);
            }

            if (o.To > at && o.To <= end)
            {
                candidates.Add(o.To);
            }
        }

        var shift = rotation.ShiftAt(at);
        var next = shift?.To ?? rotation.StartsAt;
        while (next > at && next <= end)
        {
            candidates.Add(next);
            next = rotation.ShiftAt(next)!.To;
        }

        return candidates;
    }
}
