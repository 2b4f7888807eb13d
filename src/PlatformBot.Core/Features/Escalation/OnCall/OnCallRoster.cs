using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.Escalation.OnCall;

/// <summary>An override as stored (<c>/oncall override</c>).</summary>
internal sealed class OnCallOverride
{
    [BsonId(true)]
    public int Id { get; set; }

    public string Schedule { get; set; } = "";

    public string Member { get; set; } = "";

    public DateTime From { get; set; }

    public DateTime To { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public bool Cancelled { get; set; }

    public OverrideWindow ToWindow() => new(Id, Member, Stored.Read(From), Stored.Read(To));
}

/// <summary>Who is on call in each schedule: the configured rotations with the stored overrides laid over them.</summary>
internal sealed class OnCallRoster : IOnCall
{
    private readonly EscalationBook _book;
    private readonly ILiteCollection<OnCallOverride> _overrides;

    public OnCallRoster(EscalationBook book, PlatformDatabase database)
    {
        _book = book;
        _overrides = database.Collection<OnCallOverride>("oncall_overrides");
        _overrides.EnsureIndex(o => o.Schedule);
    }

    public IReadOnlyList<string> Schedules => [.. _book.Rotations.Keys.Order(StringComparer.Ordinal)];

    public string? OnCallAt(string schedule, DateTimeOffset at) => Timeline(schedule)?.Who(at);

    /// <summary>The schedule's rotation with the overrides that end after <paramref name="from"/>; null for an unknown schedule.</summary>
    public OnCallTimeline? Timeline(string schedule, DateTimeOffset? from = null)
    {
        if (!_book.Rotations.TryGetValue(schedule, out var rotation))
        {
            return null;
        }

        var after = (from ?? DateTimeOffset.MinValue).UtcDateTime;
        var windows = _overrides.Find(o => o.Schedule == rotation.Name && !o.Cancelled && o.To > after).Select(o => o.ToWindow()).ToList();
        return new OnCallTimeline(rotation, windows);
    }

    public OnCallOverride AddOverride(string schedule, string member, DateTimeOffset from, DateTimeOffset to, string by, DateTimeOffset now)
    {
        var row = new OnCallOverride
        {
            Schedule = _book.Rotations[schedule].Name,
            Member = member,
            From = from.UtcDateTime,
            To = to.UtcDateTime,
            CreatedBy = by,
            CreatedAt = now.UtcDateTime,
        };
        _overrides.Insert(row);
        return row;
    }

    public OnCallOverride? FindOverride(int id) => _overrides.ById(id);

    public bool CancelOverride(int id)
    {
        var row = _overrides.ById(id);
        if (row is null || row.Cancelled)
        {
            return false;
        }

        row.Cancelled = true;
        return _overrides.Update(row);
    }

    /// <summary>Overrides that have not ended yet, for listing.</summary>
    public IReadOnlyList<OnCallOverride> CurrentOverrides(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return [.. _overrides.Find(o => !o.Cancelled && o.To > utc).OrderBy(o => o.From)];
    }
}

/// <summary>Who is on call: for other features (office hours, surveys) that need to know.</summary>
public interface IOnCall
{
    IReadOnlyList<string> Schedules { get; }

    /// <summary>The user id on call in <paramref name="schedule"/> at <paramref name="at"/>, or null (unknown schedule, nobody).</summary>
    string? OnCallAt(string schedule, DateTimeOffset at);
}
