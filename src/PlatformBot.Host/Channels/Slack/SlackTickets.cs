using PlatformBot.Conversations;
using PlatformBot.Features.Tickets;

namespace PlatformBot.Host.Channels.Slack;

/// <summary>
/// What Slack adds to tickets: the <c>:ticket:</c> reaction files the message, the message shortcut opens the ticket
/// form filled from the message, the global shortcut opens it empty. A message is filed once (its idempotency key is the
/// one <c>@PlatformBot ticket …</c> on that message would use); a second attempt answers "already filed" with a link
/// to the ticket's thread.
/// </summary>
internal sealed class SlackTickets(IServiceProvider services, SlackApiClient api, ICardDirectory cards)
{
    public const string NewTicketShortcut = "ticket.new";
    public const string FromMessageShortcut = "ticket.from-message";

    private const int MaxTitle = TicketCommandParser.MaxSummaryLength;

    /// <summary>The tickets feature, when the host has it.</summary>
    private ITickets? Tickets => services.GetService<ITickets>();

    public bool Available => Tickets is not null;

    public static bool IsShortcut(string callbackId) => callbackId is NewTicketShortcut or FromMessageShortcut;

    public Reply Form(IncomingInteraction shortcut)
    {
        var tickets = Tickets!;
        if (shortcut.ActionId == NewTicketShortcut || shortcut.MessageId is null)
        {
            return Reply.OpenForm(tickets.NewTicketForm());
        }

        var (title, description) = Split(shortcut.Value ?? string.Empty);
        return Reply.OpenForm(tickets.NewTicketForm(new TicketDraft(title, description, IdempotencyKey: Key(shortcut.Conversation.ConversationId, shortcut.MessageId))));
    }

    /// <summary>
    /// Files a message: its author is the requester (the person with the problem) and the one who reacted files it for
    /// him, so the message's key is the author's and anyone's second reaction finds the first ticket.
    /// </summary>
    public async Task<Reply> FileAsync(UserRef reactor, string? authorId, string channel, string messageTs, string text, CancellationToken cancellationToken)
    {
        var (title, description) = Split(text);
        var requester = authorId is null ? reactor : new UserRef(PlatformBot.Conversations.Channels.Slack, authorId);
        var filing = await Tickets!.FileAsync(
            new TicketRequest(requester, title, new ConversationAddress(PlatformBot.Conversations.Channels.Slack, channel))
            {
                Description = description,
                IdempotencyKey = Key(channel, messageTs),
                FiledBy = requester.Is(reactor) ? null : reactor,
            },
            cancellationToken);
        if (!filing.AlreadyFiled || filing.Ticket is not { } ticket || cards.Find(ticket.CardKey) is not [var card, ..])
        {
            return filing.Reply;
        }

        var link = await api.GetPermalinkAsync(card.Conversation.ConversationId, card.MessageId, cancellationToken);
        return link is null
            ? filing.Reply
            : filing.Reply with { Blocks = filing.Reply.Blocks.Add(new ContextBlock([Md.Text($"{Md.Link(link, "Open " + ticket.Id + " and its thread", labelIsUserText: false)}")])) };
    }

    /// <summary>The key <c>/ticket</c> typed in a message uses too, so the same message is filed once whichever way.</summary>
    private static string Key(string channel, string messageTs) => $"message:{PlatformBot.Conversations.Channels.Slack}:{channel}:{messageTs}";

    private static (string Title, string? Description) Split(string text)
    {
        var trimmed = text.Trim();
        var firstLine = trimmed.Split('\n', 2)[0].Trim();
        var title = firstLine.Length <= MaxTitle ? firstLine : firstLine[..(MaxTitle - 1)] + "…";
        var description = trimmed.Length > title.Length ? trimmed : null;
        if (description is { Length: > TicketCommandParser.MaxDescriptionLength })
        {
            description = description[..(TicketCommandParser.MaxDescriptionLength - 1)] + "…";
        }

        return (title.Length == 0 ? "Filed from Slack" : title, description);
    }
}
