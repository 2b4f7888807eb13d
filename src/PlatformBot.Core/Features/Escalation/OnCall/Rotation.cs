namespace PlatformBot.Features.Escalation.OnCall;

internal enum RotationKind
{
    Daily,
    Weekly,
}

/// <summary>One member's turn in a rotation: from one handoff to the next.</summary>
/// <param name="Index">The shift's number since the rotation started (0 for the first member's first shift).</param>
internal sealed record RotationShift(string Member, DateTimeOffset From, DateTimeOffset To, int Index);

/// <summary>
/// A rotation in its own time zone: the members take turns in order, handing off at a wall-clock time every day or every
/// week on a weekday, starting with the first member on <see cref="Start"/>. Handoffs follow the wall clock, so a daily
/// 09:00 handoff stays at 09:00 across daylight-saving changes (that day's shift is 23 or 25 hours long). Pure: no clock.
/// </summary>
internal sealed class Rotation
{
    private readonly DateOnly _firstHandoffDayAfterStart;

    public Rotation(string name, TimeZoneInfo zone, IReadOnlyList<string> members, RotationKind kind, TimeOnly handoff, DayOfWeek handoffDay, DateOnly start)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("A rotation needs at least one member.", nameof(members));
        }

        Name = name;
        Zone = zone;
        Members = members;
        Kind = kind;
        Handoff = handoff;
        HandoffDay = handoffDay;
        Start = start;
        _firstHandoffDayAfterStart = NextBoundaryDate(start);
    }

    public string Name { get; }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyList<string> Members { get; }

    public RotationKind Kind { get; }

    public TimeOnly Handoff { get; }

    public DayOfWeek HandoffDay { get; }

    public DateOnly Start { get; }

    /// <summary>When the first member's first shift begins.</summary>
    public DateTimeOffset StartsAt => Boundary(Start);

    /// <summary>The shift in progress at <paramref name="at"/>, or null before the rotation starts.</summary>
    public RotationShift? ShiftAt(DateTimeOffset at)
    {
        var date = BoundaryOnOrBefore(ZonedTime.LocalDate(at, Zone));
        if (date is { } d && Boundary(d) > at)
        {
            date = d == Start ? null : BoundaryOnOrBefore(d.AddDays(-1));
        }

        return date is { } found ? ShiftFrom(found) : null;
    }

    /// <summary>The shift that follows <paramref name="shift"/>.</summary>
    public RotationShift After(RotationShift shift) => ShiftAt(shift.To)!;

    private RotationShift ShiftFrom(DateOnly boundaryDate)
    {
        var index = Index(boundaryDate);
        return new RotationShift(Members[index % Members.Count], Boundary(boundaryDate), Boundary(NextBoundaryDate(boundaryDate)), index);
    }

    private DateTimeOffset Boundary(DateOnly date) => ZonedTime.ToInstant(date, Handoff, Zone);

    private DateOnly? BoundaryOnOrBefore(DateOnly date)
    {
        if (date < Start)
        {
            return null;
        }

        var boundary = Kind == RotationKind.Daily ? date : date.AddDays(-((((int)date.DayOfWeek - (int)HandoffDay) % 7) + 7) % 7);
        return boundary < Start ? Start : boundary;
    }

    private DateOnly NextBoundaryDate(DateOnly date)
    {
        if (Kind == RotationKind.Daily)
        {
            return date.AddDays(1);
        }

        var ahead = (((int)HandoffDay - (int)date.DayOfWeek) % 7 + 7) % 7;
        return date.AddDays(ahead == 0 ? 7 : ahead);
    }

    private int Index(DateOnly boundaryDate) => Kind == RotationKind.Daily
        ? boundaryDate.DayNumber - Start.DayNumber
        : boundaryDate == Start ? 0 : ((boundaryDate.DayNumber - _firstHandoffDayAfterStart.DayNumber) / 7) + 1;
}
