using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.OfficeHours;
using PlatformBot.Team;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>The App Home's office hours: the next sessions, and the reader's places in their queues with expected times.</summary>
internal sealed class OfficeHoursHomeSection(IOfficeHours officeHours, IOptionsMonitor<TeamOptions> team) : IHomeSection
{
    private const int Shown = 3;

    public string Key => HomeSections.OfficeHours;

    public Task<IReadOnlyList<Block>> RenderAsync(UserRef viewer, CancellationToken cancellationToken)
    {
        var zone = viewer.TimeZone ?? team.CurrentValue.TimeZone;
        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Office hours")));
        foreach (var place in officeHours.PlacesOf(viewer))
        {
            blocks.Add(new TextBlock(Md.Text($"You're number *{place.Place}* in the queue for {place.Title} with \"{place.Topic}\"; it should come up around *{Format(place.ExpectedAt, zone)}*.")));
        }

        var upcoming = officeHours.Upcoming();
        if (upcoming.Count == 0)
        {
            blocks.Add(new ContextBlock([Md.Text($"No office hours are scheduled.")]));
        }

        foreach (var session in upcoming.Take(Shown))
        {
            blocks.Add(new SectionBlock(
                Md.Text($"*{session.Title}*: {Md.Link(session.Link, "video call", labelIsUserText: false)}"),
                [new Field("When", Md.Text($"{Format(session.Occurrence.Start, zone)}")), new Field("Queue", Md.Text($"{session.Queued} topic(s)"))]));
            blocks.Add(new ActionsBlock([new Button(OfficeHoursRoutes.JoinForm, "Join the queue", session.Occurrence.Key)]));
        }

        return Task.FromResult<IReadOnlyList<Block>>(blocks.ToImmutable());
    }

    private static string Format(DateTimeOffset instant, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }
}
