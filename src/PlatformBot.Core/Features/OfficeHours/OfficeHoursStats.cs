namespace PlatformBot.Features.OfficeHours;

public sealed record OfficeHoursFigures(int SessionsHeld, int Attendees, int TopicsAnswered, int AnsweredByDocs, TimeSpan? MedianWait);

internal static class OfficeHoursStats
{
    /// <summary>A session counts as held once someone was called in it; the wait runs from joining to the answer.</summary>
    public static OfficeHoursFigures Compute(IReadOnlyList<QueuedTopic> topics, DateTimeOffset now)
    {
        var called = topics.Where(t => t.CalledAt is not null).ToList();
        var answered = topics.Where(t => t.State == TopicState.Answered && t.AnsweredAt is not null).ToList();
        var waits = answered.Select(t => t.AnsweredAt!.Value - t.JoinedAt).OrderBy(w => w).ToList();
        TimeSpan? median = waits.Count == 0
            ? null
            : waits.Count % 2 == 1 ? waits[waits.Count / 2] : (waits[(waits.Count / 2) - 1] + waits[waits.Count / 2]) / 2;
        return new OfficeHoursFigures(
            called.Select(t => t.Occurrence).Distinct(StringComparer.Ordinal).Count(o => called.Any(t => t.Occurrence == o && t.OccurrenceStart <= now.UtcDateTime)),
            called.Select(t => t.UserKey).Distinct(StringComparer.Ordinal).Count(),
            answered.Count,
            topics.Count(t => t.State == TopicState.AnsweredByDocs),
            median);
    }
}
