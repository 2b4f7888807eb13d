using System.Collections.Immutable;
using System.Text.RegularExpressions;
using PlatformBot.Conversations;
using PlatformBot.Features.Knowledge;
using PlatformBot.Outbox;
using PlatformBot.Routing;

namespace PlatformBot.Features.OfficeHours;

internal sealed partial class OfficeHoursHandler(
    OfficeHoursCalendar calendar,
    OfficeHoursStore store,
    IOutbox outbox,
    ITopicFollowUps followUps,
    KnowledgeDraftWriter drafts) : ICommandHandler, IInteractionHandler
{
    public const int MaxTopicLength = 500;

    public async Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        if (calendar.Options.Sessions.Count == 0)
        {
            return Reply.Private(Md.Text($"No office hours are set up yet. An admin adds them under `OfficeHours:Sessions` in the configuration."));
        }

        var (verb, rest) = CommandText.SplitVerb(command.Text);
        return verb switch
        {
            "" or "list" => List(command.User),
            "join" => Join(command.User, rest, command.Conversation.Channel, occurrenceKey: null),
            "leave" => Leave(command.User, rest),
            "queue" => QueueOf(command.User),
            "next" => Next(command.User),
            "done" => Done(command.User, rest),
            "skip" => Skip(command.User),
            "stats" => Stats(),
            _ => Reply.Private(Md.Text($"I don't know `/officehours {verb}`. Try `/officehours`, `join [@session] <topic>`, `leave [@session]`, `queue`; hosts: `next`, `done [note]`, `skip`; `stats`.")),
        };
    }

    public async Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        switch (interaction.ActionId)
        {
            case OfficeHoursRoutes.JoinForm:
                var occurrence = FindOccurrence(interaction.Value);
                return occurrence is null
                    ? Reply.Private(Md.Text($"That session is over. Type `/officehours` for the next ones."))
                    : Reply.OpenForm(OfficeHoursReplies.JoinForm(occurrence.Key, calendar.Session(occurrence.Session)!.Title));
            case OfficeHoursRoutes.JoinSubmit:
                var topic = interaction.Values.GetValueOrDefault("topic", string.Empty);
                if (string.IsNullOrWhiteSpace(topic) || topic.Length > MaxTopicLength)
                {
                    var form = OfficeHoursReplies.JoinForm(interaction.State ?? string.Empty, "office hours");
                    return Reply.OpenForm(form.WithErrors(new Dictionary<string, string> { ["topic"] = $"Describe your topic in 1 to {MaxTopicLength} characters." }, interaction.Values));
                }

                return Join(interaction.User, topic, interaction.Conversation.Channel, interaction.State);
            case OfficeHoursRoutes.KeepPlace:
                return Reply.Private(Md.Text($"You keep your place. See you in the session!")) with { ReplacesSource = true };
            case OfficeHoursRoutes.SolvedByDocs:
                return LeaveBecauseDocs(interaction.User, interaction.Value);
            case OfficeHoursRoutes.Leave:
                return LeaveTopic(interaction.User, interaction.Value);
            case OfficeHoursRoutes.RollAll:
                return await FollowUpAllAsync(interaction.User, interaction.Value, toTickets: false, cancellationToken);
            case OfficeHoursRoutes.TicketAll:
                return await FollowUpAllAsync(interaction.User, interaction.Value, toTickets: true, cancellationToken);
            case OfficeHoursRoutes.Draft:
                return Draft(interaction.User, interaction.Value);
            default:
                return Reply.Private(Md.Text($"That button is not supported."));
        }
    }

    private Reply List(UserRef user)
    {
        var zone = calendar.ZoneOf(user);
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Office hours")));
        foreach (var occurrence in calendar.Upcoming())
        {
            var session = calendar.Session(occurrence.Session)!;
            var queued = store.Queue(occurrence.Key).Count(t => t.IsActive);
            blocks.Add(new SectionBlock(
                Md.Text($"*{session.Title}* · {Md.Link(session.Link, "video call", labelIsUserText: false)}"),
                [
                    new Field("Next", Md.Text($"{ZonedTime.Format(occurrence.Start, zone)}")),
                    new Field("Session time", Md.Text($"{ZonedTime.Format(occurrence.Start, session.TimeZone)}")),
                    new Field("Queue", Md.Text($"{queued} topic(s)")),
                ]));
            blocks.Add(new ActionsBlock([new Button(OfficeHoursRoutes.JoinForm, "Join the queue", occurrence.Key, ButtonStyle.Primary)]));
        }

        var mine = store.ActiveOf(user.Key);
        if (mine.Count > 0)
        {
            blocks.Add(new ContextBlock([.. mine.Select(t => Md.Text($"You're queued: \"{t.Topic}\" (place {PlaceOf(t)})"))]));
        }

        blocks.Add(new ContextBlock([calendar.Options.CalendarUrl() is { } subscribe
            ? Md.Text($"Times in {zone}. [Subscribe to the calendar]({subscribe}).")
            : Md.Text($"Times in {zone}.")]));
        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    private Reply Join(UserRef user, string text, string channel, string? occurrenceKey)
    {
        var topic = text.Trim();
        SessionOccurrence? occurrence;
        var sessionPick = SessionPrefix().Match(topic);
        if (occurrenceKey is not null)
        {
            occurrence = FindOccurrence(occurrenceKey);
        }
        else if (sessionPick.Success)
        {
            var name = sessionPick.Groups["name"].Value;
            if (calendar.Session(name) is null)
            {
                return NoSuchSession(name);
            }

            occurrence = calendar.NextOf(name, calendar.Now - calendar.Session(name)!.Duration);
            topic = topic[sessionPick.Length..].Trim();
        }
        else
        {
            var upcoming = calendar.Upcoming();
            occurrence = upcoming.Count > 0 ? upcoming[0] : null;
        }

        if (topic.Length == 0)
        {
            return sessionPick.Success && occurrenceKey is null
                ? Reply.Private(Md.Text($"Tell me your topic for {calendar.Session(sessionPick.Groups["name"].Value)!.Title}: `/officehours join @{Md.Raw(sessionPick.Groups["name"].Value)} <what you want to discuss>`."))
                : Reply.Private(Md.Text($"Tell me your topic: `/officehours join <what you want to discuss>`."));
        }

        if (topic.Length > MaxTopicLength)
        {
            return Reply.Private(Md.Text($"Please keep the topic under {MaxTopicLength} characters; details can wait for the call."));
        }

        if (occurrence is null || occurrence.End <= calendar.Now)
        {
            return Reply.Private(Md.Text($"That session is over. Type `/officehours` for the next ones."));
        }

        var session = calendar.Session(occurrence.Session)!;
        var (entry, added) = store.Join(new QueuedTopic
        {
            Session = occurrence.Session,
            Occurrence = occurrence.Key,
            OccurrenceStart = occurrence.Start.UtcDateTime,
            UserKey = user.Key,
            UserName = user.Name,
            UserTimeZone = user.TimeZone,
            Topic = topic,
            TicketId = TicketReference().Match(topic) is { Success: true } m ? m.Value : null,
            State = TopicState.Queued,
            JoinedAt = calendar.Now.UtcDateTime,
        });
        var place = PlaceOf(entry);
        var zone = calendar.ZoneOf(user);
        if (!added)
        {
            return Reply.Private(Md.Text($"You're already in the queue for {session.Title}, at place {place}, with \"{entry.Topic}\". `/officehours leave` first to change it."));
        }

        return OfficeHoursReplies.Place(entry, place, calendar.ExpectedAt(occurrence, place - 1), session, zone);
    }

    /// <summary>
    /// Leaves one queue: the one named (<c>@session</c>: its soonest meeting you are queued for), or the only one you are
    /// in. In several and naming none, nothing changes: the queues are listed, each with a button to leave it, because a
    /// guess would cost a place in line that cannot be given back.
    /// </summary>
    private Reply Leave(UserRef user, string text)
    {
        var mine = store.ActiveOf(user.Key);
        var name = text.Trim();
        if (name.Length > 0)
        {
            if (SessionName().Match(name) is not { Success: true } pick)
            {
                return Reply.Private(Md.Text($"Name the session like this: `/officehours leave @{calendar.Options.Sessions.Keys.First()}`, or just `/officehours leave`."));
            }

            name = pick.Groups["name"].Value;
            if (calendar.Session(name) is not { } session)
            {
                return NoSuchSession(name);
            }

            mine = [.. mine.Where(t => string.Equals(t.Session, name, StringComparison.Ordinal)).Take(1)];
            if (mine.Count == 0)
            {
                return Reply.Private(Md.Text($"You're not in the queue for {session.Title}."));
            }
        }

        if (mine.Count == 0)
        {
            return Reply.Private(Md.Text($"You're not in any office-hours queue."));
        }

        if (mine.Count == 1)
        {
            return Left(user, mine[0]);
        }

        var zone = calendar.ZoneOf(user);
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new TextBlock(Md.Text($"You're in {mine.Count} office-hours queues. Which one do you want to leave? Press its button, or type `/officehours leave @<session>`. Nothing has changed yet.")));
        foreach (var topic in mine)
        {
            blocks.Add(new TextBlock(Md.Text($"*{TitleOf(topic)}* ({ZonedTime.Format(topic.OccurrenceStart, zone)}) · `@{Md.Raw(topic.Session)}`: \"{topic.Topic}\"")));
            blocks.Add(new ActionsBlock([new Button(OfficeHoursRoutes.Leave, "Leave this queue", topic.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }

    private Reply LeaveTopic(UserRef user, string? id)
    {
        if (!long.TryParse(id, out var topicId) || store.Get(topicId) is not { } topic || topic.UserKey != user.Key)
        {
            return Reply.Private(Md.Text($"That is not one of your topics."));
        }

        return topic.IsActive
            ? Left(user, topic) with { ReplacesSource = true }
            : Reply.Private(Md.Text($"You're no longer in that queue."));
    }

    private Reply Left(UserRef user, QueuedTopic topic)
    {
        topic.State = TopicState.Left;
        store.Save(topic);
        var others = store.ActiveOf(user.Key).Count;
        var still = others == 0 ? string.Empty : $" You're still in {others} other queue(s): `/officehours` shows them.";
        return Reply.Private(Md.Text($"You left the queue for {TitleOf(topic)} ({ZonedTime.Format(topic.OccurrenceStart, calendar.ZoneOf(user))}). Your topic: \"{topic.Topic}\".{Md.Raw(still)} Come back any time with `/officehours join`."));
    }

    private string TitleOf(QueuedTopic topic) => calendar.Session(topic.Session)?.Title ?? topic.Session;

    private Reply NoSuchSession(string name) =>
        Reply.Private(Md.Text($"There is no office-hours session called `{name}`. Sessions: {string.Join(", ", calendar.Options.Sessions.Keys)}."));

    private Reply LeaveBecauseDocs(UserRef user, string? id)
    {
        if (!long.TryParse(id, out var topicId) || store.Get(topicId) is not { } topic || topic.UserKey != user.Key)
        {
            return Reply.Private(Md.Text($"That is not one of your topics."));
        }

        if (!topic.IsActive)
        {
            return Reply.Private(Md.Text($"You're no longer in that queue."));
        }

        topic.State = TopicState.AnsweredByDocs;
        topic.AnsweredAt = calendar.Now.UtcDateTime;
        store.Save(topic);
        return Reply.Private(Md.Text($"Glad the docs answered it. I took you off the queue.")) with { ReplacesSource = true };
    }

    private Reply QueueOf(UserRef user)
    {
        var running = calendar.RunningFor(user);
        var occurrence = running ?? store.ActiveOf(user.Key).Select(t => FindOccurrence(t.Occurrence)).FirstOrDefault(o => o is not null) ?? (calendar.Upcoming() is [var soonest, ..] ? soonest : null);
        if (occurrence is null)
        {
            return Reply.Private(Md.Text($"No upcoming office hours."));
        }

        var session = calendar.Session(occurrence.Session)!;
        var zone = calendar.ZoneOf(user);
        var active = store.Queue(occurrence.Key).Where(t => t.IsActive).ToList();
        var isHost = calendar.IsHost(occurrence.Session, user);
        var lines = active.Select((t, i) =>
        {
            var who = isHost || t.UserKey == user.Key ? t.UserName : "someone";
            var state = t.State == TopicState.Called ? " (now)" : $" ~{ZonedTime.Clock(calendar.ExpectedAt(occurrence, i), zone)}";
            return Md.Text($"{i + 1}. {t.Topic} — {who}{Md.Raw(state)}");
        }).ToList();
        return Reply.Private(lines.Count == 0
            ? Md.Text($"The queue for {session.Title} ({ZonedTime.Format(occurrence.Start, zone)}) is empty. `/officehours join <topic>`")
            : Md.Text($"*Queue for {session.Title}* ({ZonedTime.Format(occurrence.Start, zone)})\n{Md.Lines(lines)}"));
    }

    private Reply Next(UserRef host)
    {
        if (Running(host, out var occurrence, out var refusal) is false)
        {
            return refusal!;
        }

        var session = calendar.Session(occurrence!.Session)!;
        var queue = store.Queue(occurrence.Key);
        var current = queue.FirstOrDefault(t => t.State == TopicState.Called);
        if (current is not null)
        {
            current.State = TopicState.Answered;
            current.AnsweredAt = calendar.Now.UtcDateTime;
            store.Save(current);
        }

        var waiting = queue.Where(t => t.State == TopicState.Queued).ToList();
        if (waiting.Count == 0)
        {
            return Reply.Private(Md.Text($"The queue is empty. {Md.Raw(current is null ? string.Empty : "Marked the last topic answered.")}"));
        }

        var called = waiting[0];
        store.Database.InTransaction(() =>
        {
            called.State = TopicState.Called;
            called.CalledAt = calendar.Now.UtcDateTime;
            called.CalledBy = host.Key;
            store.Save(called);
            outbox.Enqueue(new OutboundMessage(
                $"officehours:turn:{called.Id}",
                new ToUser(UserRef.Parse(called.UserKey)),
                Reply.Text(Md.Text($"*It's your turn* in {session.Title}: {called.Topic}\nJoin now: {Md.Link(session.Link, session.Link, labelIsUserText: false)}"))));
            if (waiting.Count > 1)
            {
                var following = waiting[1];
                outbox.Enqueue(new OutboundMessage(
                    $"officehours:next:{following.Id}",
                    new ToUser(UserRef.Parse(following.UserKey)),
                    Reply.Text(Md.Text($"*You're next* in {session.Title} with \"{following.Topic}\". Be ready: {Md.Link(session.Link, session.Link, labelIsUserText: false)}"))));
            }
        });
        return Reply.Private(Md.Text($"Now: *{called.UserName}* with \"{called.Topic}\"{Md.Raw(called.TicketId is null ? string.Empty : " (" + called.TicketId + ")")}. {waiting.Count - 1} more waiting. `/officehours done [note]` when answered."));
    }

    private Reply Done(UserRef host, string note)
    {
        if (Running(host, out var occurrence, out var refusal) is false)
        {
            return refusal!;
        }

        var current = store.Queue(occurrence!.Key).FirstOrDefault(t => t.State == TopicState.Called);
        if (current is null)
        {
            return Reply.Private(Md.Text($"Nobody has been called. `/officehours next` calls the next person."));
        }

        current.State = TopicState.Answered;
        current.AnsweredAt = calendar.Now.UtcDateTime;
        current.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        store.Save(current);
        return Reply.Private(Md.Text($"Marked \"{current.Topic}\" answered."))
            with
            {
                Blocks =
                [
                    new TextBlock(Md.Text($"Marked \"{current.Topic}\" answered.")),
                    new ActionsBlock([new Button(OfficeHoursRoutes.Draft, "Draft a KB article from it", current.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                ],
            };
    }

    private Reply Skip(UserRef host)
    {
        if (Running(host, out var occurrence, out var refusal) is false)
        {
            return refusal!;
        }

        var topic = store.Queue(occurrence!.Key).FirstOrDefault(t => t.State == TopicState.Called)
            ?? store.Queue(occurrence.Key).FirstOrDefault(t => t.State == TopicState.Queued);
        if (topic is null)
        {
            return Reply.Private(Md.Text($"The queue is empty."));
        }

        topic.State = TopicState.Skipped;
        store.Save(topic);
        return Reply.Private(Md.Text($"Skipped \"{topic.Topic}\" ({topic.UserName}). `/officehours next` calls the next person."));
    }

    private bool Running(UserRef host, out SessionOccurrence? occurrence, out Reply? refusal)
    {
        occurrence = calendar.RunningFor(host);
        refusal = null;
        if (occurrence is not null)
        {
            return true;
        }

        refusal = calendar.Options.Sessions.Keys.Any(s => calendar.IsHost(s, host))
            ? Reply.Private(Md.Text($"None of your office-hours sessions is running now."))
            : Reply.Private(Md.Text($"Only a session's hosts can run its queue."));
        return false;
    }

    private async Task<Reply> FollowUpAllAsync(UserRef host, string? occurrenceKey, bool toTickets, CancellationToken cancellationToken)
    {
        if (FindOccurrence(occurrenceKey, includePast: true) is not { } occurrence || !calendar.IsHost(occurrence.Session, host))
        {
            return Reply.Private(Md.Text($"Only that session's hosts can do this."));
        }

        var open = store.Queue(occurrence.Key).Where(t => t.IsActive).ToList();
        if (open.Count == 0)
        {
            return Reply.Private(Md.Text($"No open topics are left for that session.")) with { ReplacesSource = true };
        }

        if (toTickets)
        {
            var made = new List<string>();
            foreach (var topic in open)
            {
                var id = await followUps.CreateTicketAsync(
                    UserRef.Parse(topic.UserKey),
                    topic.Topic.Length > 150 ? topic.Topic[..150] : topic.Topic,
                    $"Raised at office hours ({occurrence.Session}, {occurrence.Start:yyyy-MM-dd}) and not reached in the session.",
                    $"officehours:{topic.Id}",
                    cancellationToken);
                if (id is null)
                {
                    return Reply.Private(Md.Text($"Tickets are not available here; roll the topics to the next session instead."));
                }

                topic.State = TopicState.Ticketed;
                topic.TicketId = id;
                store.Save(topic);
                made.Add(id);
            }

            return Reply.Text(Md.Text($"Filed {made.Count} ticket(s) for the open topics: {string.Join(", ", made)}.")) with { ReplacesSource = true };
        }

        var next = calendar.NextOf(occurrence.Session, occurrence.End);
        if (next is null)
        {
            return Reply.Private(Md.Text($"There is no next session to roll to."));
        }

        var moved = 0;
        var merged = new List<string>();
        foreach (var topic in open)
        {
            var added = store.Database.InTransaction(() =>
            {
                var (entry, added) = store.Join(topic.CopyFor(next));
                if (!added)
                {
                    MergeInto(entry, topic);
                }

                topic.State = TopicState.Rolled;
                store.Save(topic);
                return added;
            });
            if (added)
            {
                moved++;
            }
            else
            {
                merged.Add(topic.UserName);
            }
        }

        var when = ZonedTime.Format(next.Start, calendar.Session(next.Session)!.TimeZone);
        var text = merged.Count == 0
            ? Md.Text($"Rolled {moved} topic(s) to {when}; they keep their places at the front.")
            : Md.Text($"Rolled {moved} topic(s) to {when}; they keep their places at the front. {string.Join(", ", merged)} had another topic queued there already: the open one was added to it, and it takes the earlier place.");
        return Reply.Text(text) with { ReplacesSource = true };
    }

    /// <summary>
    /// A rolled topic whose owner already queued one for the next meeting (one place per person and meeting) joins that
    /// one: both topics are kept, and the place is the earlier of the two, since the person has waited since then.
    /// </summary>
    private void MergeInto(QueuedTopic entry, QueuedTopic rolled)
    {
        if (!string.Equals(entry.Topic.Trim(), rolled.Topic.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            entry.Topic = $"{rolled.Topic}; also: {entry.Topic}";
        }

        entry.Order = Math.Min(entry.Order, rolled.Order);
        entry.TicketId ??= rolled.TicketId;
        store.Save(entry);
    }

    private Reply Draft(UserRef host, string? id)
    {
        if (!long.TryParse(id, out var topicId) || store.Get(topicId) is not { } topic || !calendar.IsHost(topic.Session, host))
        {
            return Reply.Private(Md.Text($"Only the session's hosts can draft an article from a topic."));
        }

        if (topic.State != TopicState.Answered)
        {
            return Reply.Private(Md.Text($"Only an answered topic can become a draft."));
        }

        if (topic.DraftPath is not null)
        {
            return Reply.Private(Md.Text($"Already drafted at `{topic.DraftPath}`."));
        }

        var path = drafts.Write(topic.Topic, topic.Note ?? "(write the answer given in the session here)", host.Name, $"office hours {topic.Session}, {topic.OccurrenceStart:yyyy-MM-dd}");
        topic.DraftPath = path;
        store.Save(topic);
        return Reply.Private(Md.Text($"Draft written to `{path}` for review in git."));
    }

    private Reply Stats()
    {
        var stats = OfficeHoursStats.Compute(store.All(), calendar.Now);
        return Reply.Private(Md.Text($"*Office hours so far*\nSessions held: {stats.SessionsHeld} · attendees: {stats.Attendees} · topics answered: {stats.TopicsAnswered} · answered by the docs before the session: {stats.AnsweredByDocs}\nMedian wait from join to answer: {Md.Raw(stats.MedianWait is { } w ? $"{w.TotalHours:0.#} h" : "n/a")}"));
    }

    /// <summary>Places count the topics still waiting or being answered ahead of this one.</summary>
    private int PlaceOf(QueuedTopic topic) =>
        store.Queue(topic.Occurrence).Where(t => t.IsActive).TakeWhile(t => t.Id != topic.Id).Count() + 1;

    private SessionOccurrence? FindOccurrence(string? key, bool includePast = false)
    {
        var at = key?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (key is null || at <= 0)
        {
            return null;
        }

        var session = key[..at];
        if (calendar.Session(session) is not { } options)
        {
            return null;
        }

        var from = includePast ? calendar.Now - TimeSpan.FromDays(30) : calendar.Now;
        return OfficeHoursSchedule.Occurrences(session, options, from).TakeWhile(o => o.Start <= calendar.Now + TimeSpan.FromDays(400)).FirstOrDefault(o => o.Key == key);
    }

    // The command text arrives trimmed, so "join @k8s" (no topic yet) ends right after the name.
    [GeneratedRegex(@"^@(?<name>[A-Za-z0-9_-]+)(\s|$)")]
    private static partial Regex SessionPrefix();

    [GeneratedRegex(@"^@?(?<name>[A-Za-z0-9_-]+)$")]
    private static partial Regex SessionName();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9]{1,9}-\d+\b")]
    private static partial Regex TicketReference();
}
