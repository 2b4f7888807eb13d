using System.Collections.Immutable;
using System.Globalization;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Scheduling;

namespace PlatformBot.Features.OfficeHours;

/// <summary>
/// Woken by Quartz: announcements before and at the start of each meeting, the docs' answer offered privately to each
/// queued topic before its meeting, and the hosts' follow-up card after it. Every message has an idempotency key, so a
/// sweep can run any number of times and after a restart sends only what is still due, once.
/// </summary>
internal sealed class OfficeHoursSweep(OfficeHoursCalendar calendar, OfficeHoursStore store, IOutbox outbox, ITopicFollowUps followUps) : ISweep
{
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = calendar.Now;
        var sent = 0;
        var options = calendar.Options;
        var horizon = options.LeadTimes.Count == 0 ? TimeSpan.Zero : options.LeadTimes.Max();
        foreach (var occurrence in calendar.Between(now - TimeSpan.FromDays(1), now + horizon).ToList())
        {
            var session = calendar.Session(occurrence.Session)!;
            if (!ChannelTarget.TryParse(session.Channel, out var channel))
            {
                continue;
            }

            // The latest announcement that is due wins; older ones that were missed while down are not sent late.
            var due = options.LeadTimes.Select(l => (Lead: l, At: occurrence.Start - l)).Append((Lead: TimeSpan.Zero, At: occurrence.Start))
                .Where(a => a.At <= now && now < (a.Lead == TimeSpan.Zero ? occurrence.End : occurrence.Start))
                .OrderByDescending(a => a.At)
                .FirstOrDefault();
            if (due.At != default)
            {
                var queue = store.Queue(occurrence.Key);
                var calendarUrl = options.CalendarUrl(occurrence.Session);
                var key = $"officehours:announce:{occurrence.Key}:{(int)due.Lead.TotalMinutes}";
                if (outbox.Enqueue(new OutboundMessage(key, new ToConversation(channel), OfficeHoursReplies.Announcement(occurrence, session, queue, calendarUrl, due.Lead == TimeSpan.Zero))))
                {
                    sent++;
                }
            }

            if (now < occurrence.Start && now >= occurrence.Start - horizon)
            {
                sent += await OfferDocsAsync(occurrence, session, cancellationToken);
            }

            if (now >= occurrence.End)
            {
                sent += AskHostsToFollowUp(occurrence, session, channel.Channel);
            }
        }

        return sent;
    }

    private async Task<int> OfferDocsAsync(SessionOccurrence occurrence, OfficeHoursSessionOptions session, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var topic in store.Queue(occurrence.Key).Where(t => t.State == TopicState.Queued && !t.DocsOffered))
        {
            var answer = await followUps.BestAnswerAsync(topic.Topic, cancellationToken);
            store.Database.InTransaction(() =>
            {
                topic.DocsOffered = true;
                store.Save(topic);
                if (answer is null)
                {
                    return;
                }

                var id = topic.Id.ToString(CultureInfo.InvariantCulture);
                var link = answer.Url is null ? Md.Text($"*{answer.Title}*") : Md.Text($"*{Md.Link(answer.Url, answer.Title)}*");
                var reply = new Reply
                {
                    Blocks =
                    [
                        new TextBlock(Md.Text($"Before {session.Title}: this may already answer \"{topic.Topic}\"")),
                        new SectionBlock(link.Append(Md.Text($"\n{answer.Snippet}")), []),
                        new ActionsBlock([
                            new Button(OfficeHoursRoutes.SolvedByDocs, "That answers it — leave the queue", id, ButtonStyle.Primary),
                            new Button(OfficeHoursRoutes.KeepPlace, "Keep my place", id),
                        ]),
                    ],
                };
                if (outbox.Enqueue(new OutboundMessage($"officehours:docs:{topic.Id}", new ToUser(UserRef.Parse(topic.UserKey)), reply)))
                {
                    sent++;
                }
            });
        }

        return sent;
    }

    private int AskHostsToFollowUp(SessionOccurrence occurrence, OfficeHoursSessionOptions session, string channel)
    {
        var queue = store.Queue(occurrence.Key);
        var open = queue.Where(t => t.IsActive).ToList();
        var answered = queue.Where(t => t.State == TopicState.Answered && t.DraftPath is null).ToList();
        if (open.Count == 0 && answered.Count == 0)
        {
            return 0;
        }

        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"{session.Title} is over: {open.Count} open topic(s)")));
        if (open.Count > 0)
        {
            blocks.Add(new TextBlock(Md.Lines(open.Select(t => Md.Text($"• {t.Topic} — {t.UserName}")))));
            blocks.Add(new ActionsBlock([
                new Button(OfficeHoursRoutes.RollAll, "Roll all to the next session", occurrence.Key, ButtonStyle.Primary),
                new Button(OfficeHoursRoutes.TicketAll, "Make tickets of all", occurrence.Key),
            ]));
        }

        foreach (var topic in answered)
        {
            blocks.Add(new SectionBlock(Md.Text($"Answered: {topic.Topic}"), []));
            blocks.Add(new ActionsBlock([new Button(OfficeHoursRoutes.Draft, "Draft a KB article", topic.Id.ToString(CultureInfo.InvariantCulture))]));
        }

        var sent = 0;
        foreach (var host in calendar.Hosts(occurrence.Session, channel))
        {
            if (outbox.Enqueue(new OutboundMessage($"officehours:followup:{occurrence.Key}:{host.Key}", new ToUser(host), new Reply { Blocks = blocks.ToImmutable() })))
            {
                sent++;
            }
        }

        return sent;
    }
}
