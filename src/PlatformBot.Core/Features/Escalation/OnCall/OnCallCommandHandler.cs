using System.Collections.Immutable;
using PlatformBot.Conversations;
using PlatformBot.Routing;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation.OnCall;

/// <summary><c>/oncall</c>: who is on call now and next; overrides by agents.</summary>
internal sealed class OnCallCommandHandler(OnCallRoster roster, EscalationBook book, PeopleDirectory people, EscalationEngine engine, IRoles roles, TimeProvider time) : ICommandHandler
{
    public const string CancelOverrideAction = "escalation.override.cancel";

    public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(EscalationCommandParser.ParseOnCall(command.Text) switch
        {
            ShowOnCall { Schedule: null } => Overview(command.User),
            ShowOnCall s => Upcoming(command.User, s.Schedule!),
            OverrideOnCall o => Override(command.User, o),
            ListOverrides => Overrides(command.User),
            OnCallUsage u => Usage(u.Problem),
            _ => Usage(null),
        });

    /// <summary>Cancels an override (the Cancel button of <c>/oncall overrides</c>).</summary>
    public Reply Cancel(UserRef user, string? value)
    {
        if (!roles.IsAgent(user))
        {
            return Reply.Private(Md.Text($"Only the platform team's agents can cancel overrides."));
        }

        if (!int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var id) || roster.FindOverride(id) is not { } row)
        {
            return Reply.Private(Md.Text($"That override does not exist."));
        }

        return roster.CancelOverride(id)
            ? Reply.Private(Md.Text($"Cancelled override {id}: {row.Member} in {row.Schedule}. The rotation applies again."))
            : Reply.Private(Md.Text($"Override {id} was already cancelled."));
    }

    private Reply Overview(UserRef user)
    {
        var now = time.GetUtcNow();
        var reader = engine.ReaderZone(user);
        if (book.Rotations.Count == 0)
        {
            return Reply.Private(Md.Text($"No on-call schedules are configured (`OnCall:Schedules`)."));
        }

        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"On call now")));
        foreach (var name in roster.Schedules)
        {
            var timeline = roster.Timeline(name, now)!;
            var segment = timeline.SegmentAt(now);
            blocks.Add(new SectionBlock(Md.Text($"*{name}* ({Describe(timeline.Rotation)})"),
            [
                new Field("Now", Who(segment.Member, segment.IsOverride, timeline.Rotation)),
                new Field("Until", segment.Until is { } until ? Md.Text($"{ZonedTime.Format(until, timeline.Rotation.Zone, reader)}") : Md.Text($"no handoff ahead")),
                new Field("Next", segment.Until is { } u ? Who(segment.Next, timeline.SegmentAt(u).IsOverride, timeline.Rotation) : Md.Text($"nobody else")),
            ]));
        }

        blocks.Add(new ContextBlock([Md.Text($"Times in each schedule's zone, and in yours ({reader.Id}) where it differs. `/oncall <schedule>` shows the next shifts.")]));
        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    private Reply Upcoming(UserRef user, string schedule)
    {
        var now = time.GetUtcNow();
        var reader = engine.ReaderZone(user);
        if (roster.Timeline(schedule, now) is not { } timeline)
        {
            return UnknownSchedule(schedule);
        }

        var lines = timeline.Upcoming(now, 8).Select(s => Md.Text(
            $"• {ZonedTime.Format(s.From, timeline.Rotation.Zone, reader)}: {Who(s.Segment.Member, s.Segment.IsOverride, timeline.Rotation)}"));
        return new Reply
        {
            Visibility = ReplyVisibility.OnlyRequester,
            Blocks =
            [
                new HeaderBlock(Md.Text($"{timeline.Rotation.Name}: the next shifts")),
                new TextBlock(Md.Lines(lines)),
                new ContextBlock([Md.Text($"{Describe(timeline.Rotation)}; members in turn: {string.Join(", ", timeline.Rotation.Members)}.")]),
            ],
        };
    }

    private Reply Override(UserRef user, OverrideOnCall command)
    {
        if (!roles.IsAgent(user))
        {
            return Reply.Private(Md.Text($"Only the platform team's agents can change who is on call. Ask one of them, or see `/oncall`."));
        }

        if (!book.Rotations.TryGetValue(command.Schedule, out var rotation))
        {
            return UnknownSchedule(command.Schedule);
        }

        if (people.FindKnown(command.Person) is not { } person)
        {
            return Reply.Private(Md.Text($"I don't know {PeopleDirectory.Normalize(command.Person)}: an override names a schedule member or someone on the platform team ({string.Join(", ", people.KnownPeople())})."));
        }

        var now = time.GetUtcNow();
        if (!TimeExpression.TryParseRange(command.Times, rotation.Zone, now, out var from, out var to))
        {
            return Reply.Private(Md.Text($"I can't read `{string.Join(' ', command.Times)}` as a start and an end. Each is one of {Md.Raw(TimeExpression.Examples)}, read in {rotation.Zone.Id}."));
        }

        if (to <= from)
        {
            return Reply.Private(Md.Text($"That override ends ({ZonedTime.Format(to, rotation.Zone)}) before it starts ({ZonedTime.Format(from, rotation.Zone)}); nothing was changed."));
        }

        if (to <= now)
        {
            return Reply.Private(Md.Text($"That override ended already ({ZonedTime.Format(to, rotation.Zone)} {rotation.Zone.Id}); nothing was changed."));
        }

        if (to - from > TimeSpan.FromDays(62))
        {
            return Reply.Private(Md.Text($"An override lasts at most 62 days; change the schedule in the configuration for longer."));
        }

        var instead = roster.Timeline(rotation.Name, from)!.Who(from);
        var row = roster.AddOverride(rotation.Name, person, from, to, user.Key, now);
        var reader = engine.ReaderZone(user);
        return Reply.Text(Md.Text(
            $"Override {row.Id}: *{person}* is on call in *{rotation.Name}* from {ZonedTime.Format(from, rotation.Zone, reader)} to {ZonedTime.Format(to, rotation.Zone, reader)}{(instead is null || instead == person ? string.Empty : $" instead of {instead}")}. `/oncall overrides` lists and cancels overrides."));
    }

    private Reply Overrides(UserRef user)
    {
        if (!roles.IsAgent(user))
        {
            return Reply.Private(Md.Text($"Only the platform team's agents can list and cancel overrides."));
        }

        var reader = engine.ReaderZone(user);
        var rows = roster.CurrentOverrides(time.GetUtcNow());
        if (rows.Count == 0)
        {
            return Reply.Private(Md.Text($"No overrides now or ahead. Add one with `/oncall override <schedule> <user> <from> <to>`."));
        }

        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"On-call overrides")));
        foreach (var row in rows)
        {
            var zone = book.Rotations.TryGetValue(row.Schedule, out var r) ? r.Zone : reader;
            blocks.Add(new SectionBlock(Md.Text($"{row.Id}: *{row.Member}* in *{row.Schedule}* from {ZonedTime.Format(Stored.Read(row.From), zone, reader)} to {ZonedTime.Format(Stored.Read(row.To), zone, reader)}"), []));
            blocks.Add(new ActionsBlock([new Button(CancelOverrideAction, "Cancel", row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ButtonStyle.Danger)]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    private static RichText Who(string? member, bool isOverride, Rotation rotation) =>
        member is null ? Md.Text($"nobody (the rotation starts {ZonedTime.Format(rotation.StartsAt, rotation.Zone)})")
        : isOverride ? Md.Text($"*{member}* (override)")
        : Md.Text($"*{member}*");

    private static string Describe(Rotation rotation) =>
        (rotation.Kind == RotationKind.Daily ? "daily" : $"weekly on {rotation.HandoffDay}s")
        + $", handoff {rotation.Handoff.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)} {rotation.Zone.Id}";

    private Reply UnknownSchedule(string name) =>
        Reply.Private(Md.Text($"There is no schedule {name}. The schedules are: {string.Join(", ", roster.Schedules)}."));

    private static Reply Usage(RichText? problem) => EscalationReplies.Usage(problem, EscalationCommandParser.OnCallUsageText);
}
