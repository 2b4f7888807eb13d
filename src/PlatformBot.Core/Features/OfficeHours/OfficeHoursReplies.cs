using System.Collections.Immutable;
using PlatformBot.Conversations;

namespace PlatformBot.Features.OfficeHours;

internal static class OfficeHoursReplies
{
    public const string JoinButton = OfficeHoursRoutes.JoinForm;

    public static Reply Announcement(SessionOccurrence occurrence, OfficeHoursSessionOptions session, IReadOnlyList<QueuedTopic> queue, string? calendarUrl, bool starting)
    {
        var when = ZonedTime.Format(occurrence.Start, session.TimeZone);
        var lines = queue.Where(t => t.IsActive).Select((t, i) => Md.Text($"{i + 1}. {t.Topic}"));
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(starting ? Md.Text($"Office hours start now: {session.Title}") : Md.Text($"Office hours: {session.Title}")));
        blocks.Add(new SectionBlock(
            Md.Text($"{Md.Raw(starting ? "Join the call now" : "Bring your questions")}: {Md.Link(session.Link, "video call", labelIsUserText: false)}"),
            [new Field("When", Md.Text($"{when}")), new Field("Queue", Md.Text($"{queue.Count(t => t.IsActive)} topic(s)"))]));
        if (queue.Any(t => t.IsActive))
        {
            blocks.Add(new TextBlock(Md.Lines(lines)));
        }

        blocks.Add(new ActionsBlock([new Button(OfficeHoursRoutes.JoinForm, "Join the queue", occurrence.Key, ButtonStyle.Primary)]));
        blocks.Add(new ContextBlock([calendarUrl is null
            ? Md.Text($"Type `/officehours join <topic>` to queue a question.")
            : Md.Text($"[Add to calendar]({calendarUrl}) · or type `/officehours join <topic>`")]));
        return new Reply { Blocks = blocks.ToImmutable(), Summary = $"Office hours: {session.Title} at {when}" };
    }

    public static Form JoinForm(string occurrenceKey, string title) =>
        new(OfficeHoursRoutes.JoinSubmit, $"Join: {title}", [new FormField("topic", "Your topic", FormFieldKind.MultilineText) { Required = true, MaxLength = 500, Placeholder = "What do you want to talk about? A ticket id like PLAT-42 works too." }])
        {
            State = occurrenceKey,
            SubmitLabel = "Join the queue",
        };

    public static Reply Place(QueuedTopic topic, int place, DateTimeOffset expected, OfficeHoursSessionOptions session, string zone) =>
        Reply.Private(Md.Text($"You're number *{place}* in the queue for {session.Title} ({ZonedTime.Format(topic.OccurrenceStart, zone)}). Your topic \"{topic.Topic}\" should come up around *{ZonedTime.Clock(expected, zone)}*. `/officehours leave` gives your place up."));
}
