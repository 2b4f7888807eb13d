using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Events;
using PlatformBot.Features.Sla;
using PlatformBot.Team;

namespace PlatformBot.Features.Tickets;

/// <summary>What a change did: the ticket after it, or why it was refused (nothing written), and a line for the actor.</summary>
internal sealed record TicketOutcome(Ticket? Ticket, RichText? Refusal, RichText? Confirmation)
{
    public static TicketOutcome Refuse(RichText why) => new(null, why, null);
}

/// <summary>
/// Every ticket change goes through here: permission, state machine, SLA clocks, audit trail, the card update and thread
/// notices (outbox) and the domain events, all in one transaction. Implements the public <see cref="ITickets"/>.
/// </summary>
internal sealed class TicketService(
    ITicketStore store,
    TicketMessages messages,
    IDomainEvents events,
    IRoles roles,
    SlaSettings sla,
    TicketReplies replies,
    IOptions<TicketsOptions> options,
    TimeProvider time) : ITickets
{
    public const int MaxServiceLength = 80;

    public string Prefix => options.Value.Prefix;

    public TimeSpan ReopenWindow => options.Value.ReopenWindow;

    public async Task<TicketFiling> FileAsync(TicketRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } refusal)
        {
            return new TicketFiling(null, false, Reply.Private(refusal));
        }

        var now = time.GetUtcNow();
        var filer = request.FiledBy ?? request.Requester;

        // Keys are the requester's own: another person's key can neither block his filing nor reveal his ticket.
        var idempotencyKey = request.IdempotencyKey is { Length: > 0 } k ? $"{request.Requester.Key}|{k}" : null;
        // Everything that does not need the id is prepared by the caller, in parallel; the writer, which serializes all
        // ticket writes, only allocates the number and stores the prepared document.
        var draft = new Ticket
        {
            Summary = request.Summary.Trim(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            Category = string.IsNullOrWhiteSpace(request.Category) ? null : request.Category.Trim().TrimStart('#').ToLowerInvariant(),
            Service = string.IsNullOrWhiteSpace(request.Service) ? null : request.Service.Trim(),
            Priority = request.Priority,
            State = TicketState.New,
            Requester = TicketPerson.Of(request.Requester),
            FiledBy = TicketPerson.Of(filer),
            FiledByAgent = roles.IsAgent(filer),
            Source = StoredAddress.Of(request.Source),
            IdempotencyKey = idempotencyKey,
            CreatedAt = now,
        };
        draft.StartClocks(now, sla);
        draft.Record(filer, request.Source.Channel, "filed", $"{draft.Priority} {draft.Summary}", now);
        var prepared = store.Prepare(draft);
        var (ticket, already) = await store.WriteAsync(() =>
        {
            if (idempotencyKey is not null && store.FindByIdempotencyKey(idempotencyKey) is { } existing)
            {
                return (existing, true);
            }

            var number = store.AllocateNumber(Prefix);
            draft.Id = $"{Prefix}-{number}";
            draft.Number = number;
            store.Insert(prepared, draft.Id, number);
            events.Publish(new TicketCreated(draft.Id, draft.Summary, draft.Priority, request.Requester, draft.Category, draft.Service, now) { FiledFrom = request.IdempotencyKey });
            return (draft, false);
        }, cancellationToken);
        return new TicketFiling(Info(ticket), already, already ? TicketReplies.AlreadyFiled(ticket) : replies.Card(ticket, now));
    }

    /// <summary>Applies one change for a person. <paramref name="fromThread"/>: a reply typed in the ticket's thread (not echoed there).</summary>
    public Task<TicketOutcome> ChangeAsync(ChangeTicket change, UserRef actor, ConversationAddress via, CancellationToken cancellationToken, bool fromThread = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        var now = time.GetUtcNow();
        return store.WriteAsync(() =>
        {
            if (store.Find(change.Id) is not { } ticket)
            {
                return TicketOutcome.Refuse(NoSuchTicket(change.Id));
            }

            var role = roles.RoleOf(actor);
            if (TicketPermissions.Refusal(change.Verb, role, ticket.Requester.Is(actor), ticket.Id) is { } forbidden)
            {
                return TicketOutcome.Refuse(forbidden);
            }

            if (!ticket.Allows(change.Verb))
            {
                return TicketOutcome.Refuse(NotAllowed(ticket, change.Verb));
            }

            var unanswered = Unanswered.Of(ticket);
            var outcome = Apply(ticket, change, actor, role, via, now, fromThread);
            if (outcome.Refusal is null)
            {
                PublishResponses(ticket, unanswered, actor, now);
                store.Update(ticket);
                messages.CardChanged(ticket, now);
            }

            return outcome;
        }, cancellationToken);
    }

    public async Task<RichText> RequestEscalationAsync(string id, UserRef actor, CancellationToken cancellationToken)
    {
        if (store.Find(id) is not { } found)
        {
            return NoSuchTicket(id);
        }

        if (TicketPermissions.ViewRefusal(roles.RoleOf(actor), found.Requester.Is(actor), id) is { } forbidden)
        {
            return forbidden;
        }

        if (!found.IsOpen)
        {
            return Md.Text($"{id} is {Md.Raw(TicketReplies.StateWords(found.State).ToLowerInvariant())}; there is nothing to escalate.");
        }

        if (!events.HasHandlers<TicketEscalationRequested>())
        {
            return Md.Text($"Escalation is not configured here yet, so nobody was paged. The platform team sees {id} in `/ticket list open`; for an outage, use your team's on-call number.");
        }

        var now = time.GetUtcNow();
        await store.WriteAsync(() =>
        {
            var ticket = store.Find(id)!;
            ticket.Record(actor, "escalate", "escalated", null, now);
            store.Update(ticket);
            events.Publish(new TicketEscalationRequested(ticket.Id, ticket.Priority, actor, now));
            return true;
        }, cancellationToken);
        return Md.Text($"Escalated {id}: the on-call chain has been started.");
    }

    public TicketInfo? Find(string id) => store.Find(id) is { } ticket ? Info(ticket) : null;

    public string? NormalizeId(string typed) => TicketCommandParser.NormalizeId(typed, Prefix);

    internal Ticket? Get(string id) => store.Find(id);

    public IReadOnlyList<TicketCommentInfo> Comments(string id) => store.Find(id) is { } ticket
        ? [.. ticket.Comments.OrderBy(c => c.At).Select(c => new TicketCommentInfo(c.At, c.Author.ToUserRef(), c.Text, c.ByAgent, c.ByBot))]
        : [];

    /// <summary>Renders a ticket for a person who may read it (its requester, the platform team), or says why not.</summary>
    internal Reply View(string id, UserRef reader, Func<Ticket, Reply> render)
    {
        if (store.Find(id) is not { } ticket)
        {
            return Reply.Private(NoSuchTicket(id));
        }

        return TicketPermissions.ViewRefusal(roles.RoleOf(reader), ticket.Requester.Is(reader), id) is { } refusal
            ? Reply.Private(refusal)
            : render(ticket);
    }

    public IReadOnlyList<TicketInfo> OpenTicketsOf(UserRef user) =>
        [.. store.List(TicketListKind.Mine, user.Key, time.GetUtcNow(), 100).Tickets.Where(t => t.Requester.Is(user)).Select(Info)];

    public IReadOnlyList<TicketInfo> AboutToBreach(TimeSpan within, int max = 100) =>
        [.. store.BreachingBefore(time.GetUtcNow() + within, max).Where(t => t.IsOpen).Select(Info)];

    public async Task<bool> AddSystemCommentAsync(string id, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var now = time.GetUtcNow();
        return await store.WriteAsync(() =>
        {
            if (store.Find(id) is not { } ticket)
            {
                return false;
            }

            var bot = new UserRef("system", "platformbot", "PlatformBot");
            ticket.AddComment(bot, text.Length > TicketCommandParser.MaxCommentLength ? text[..TicketCommandParser.MaxCommentLength] : text, byAgent: false, byBot: true, now, sla);
            ticket.Record(bot, "system", "commented", text.Length > 80 ? text[..80] : text, now);
            store.Update(ticket);
            messages.CardChanged(ticket, now);
            return true;
        }, cancellationToken);
    }

    public async Task<TicketInfo?> AcknowledgeAsync(string id, UserRef agent, DateTimeOffset at, ConversationAddress via, CancellationToken cancellationToken)
    {
        if (!roles.IsAgent(agent))
        {
            return null;
        }

        var now = time.GetUtcNow();
        return await store.WriteAsync(() =>
        {
            if (store.Find(id) is not { } ticket)
            {
                return null;
            }

            // Taken (assigned) before its page was acknowledged, a ticket is no longer New, yet nobody has answered it:
            // the acknowledged page is its first response all the same, or the SLA would page the same people again.
            var wasNew = ticket.Allows(TicketVerb.Acknowledge);
            if (!wasNew && !(ticket.IsOpen && ticket.FirstRespondedAt is null))
            {
                return Info(ticket);
            }

            // The first response counts from when the page was acknowledged, not from when it reached the ticket (never
            // before the clock last started running, never in the future).
            var acknowledgedAt = at > now ? now : at;
            if (ticket.Timer(SlaMetric.FirstResponse) is { RunningSince: { } since } && acknowledgedAt < since)
            {
                acknowledgedAt = since;
            }

            var unanswered = Unanswered.Of(ticket);
            ticket.Acknowledge(agent, acknowledgedAt, sla);
            if (wasNew || ticket.FirstRespondedAt is not null) // not the filing agent's own acknowledgement of a taken ticket
            {
                ticket.Record(agent, via.Channel, "acknowledged", acknowledgedAt < now ? $"from an escalation, at {TimeWords.AtWithZone(acknowledgedAt, replies.TeamZone)}" : "from an escalation", now);
                events.Publish(new TicketAcknowledged(ticket.Id, agent, acknowledgedAt));
                PublishResponses(ticket, unanswered, agent, acknowledgedAt);
                store.Update(ticket);
                messages.CardChanged(ticket, now);
            }

            return Info(ticket);
        }, cancellationToken);
    }

    public Form NewTicketForm(TicketDraft? draft = null) => TicketReplies.NewTicketForm(draft);

    public Reply? Card(string id) => store.Find(id) is { } ticket ? replies.Card(ticket, time.GetUtcNow()) : null;

    public SlaFigures Figures(DateTimeOffset from, DateTimeOffset to)
    {
        var filed = store.FiledBetween(from, to);
        var resolved = store.ResolvedBetween(from, to).Where(t => t.ResolvedAt is not null).ToList();
        // Given (met or late), or overdue; a ticket closed unanswered within its target is in neither.
        var firstResponses = filed.Where(t => t.FirstRespondedAt is not null || t.Timer(SlaMetric.FirstResponse) is { Breached: true })
            .Select(t => t.Timer(SlaMetric.FirstResponse)).Where(t => t is not null).ToList();
        var resolutions = resolved.Select(t => t.Timer(SlaMetric.Resolution)).Where(t => t is not null).ToList();
        var durations = resolved.Select(t => t.ResolvedAt!.Value - t.CreatedAt).Order().ToList();
        return new SlaFigures(
            from,
            to,
            filed.Count,
            resolved.Count,
            new SlaAttainment(SlaMetric.FirstResponse, firstResponses.Count(t => !t!.Breached), firstResponses.Count(t => t!.Breached)),
            new SlaAttainment(SlaMetric.Resolution, resolutions.Count(t => !t!.Breached), resolutions.Count(t => t!.Breached)),
            durations.Count == 0 ? null : TimeSpan.FromTicks((long)durations.Average(d => d.Ticks)),
            durations.Count == 0 ? null : Median(durations));
    }

    public static RichText NoSuchTicket(string id) => Md.Text($"There is no ticket {id}. `/ticket list` shows yours.");

    internal TicketInfo Info(Ticket ticket) => new(
        ticket.Id,
        ticket.Summary,
        ticket.Priority,
        ticket.State,
        ticket.Requester.ToUserRef(),
        ticket.Assignee?.ToUserRef(),
        ticket.CreatedAt,
        ticket.Timer(SlaMetric.FirstResponse)?.DueAt,
        ticket.Timer(SlaMetric.Resolution)?.DueAt,
        ticket.Timers.Any(t => t.Breached))
    {
        Category = ticket.Category,
    };

    private TicketOutcome Apply(Ticket ticket, ChangeTicket change, UserRef actor, Role role, ConversationAddress via, DateTimeOffset now, bool fromThread)
    {
        var channel = via.Channel;
        switch (change.Verb)
        {
            case TicketVerb.Acknowledge:
                ticket.Acknowledge(actor, now, sla);
                ticket.Record(actor, channel, "acknowledged", null, now);
                events.Publish(new TicketAcknowledged(ticket.Id, actor, now));
                return Done(ticket, Md.Text($"Acknowledged *{ticket.Id}*."));

            case TicketVerb.Assign:
                var assignee = ResolveAssignee(change.Assignee ?? "me", actor);
                if (assignee is null || !roles.IsAgent(assignee))
                {
                    return TicketOutcome.Refuse(Md.Text($"{change.Assignee} is not on the platform team (Team:Agents or Team:Admins), so {ticket.Id} cannot be assigned to them. Nothing was changed."));
                }

                ticket.Assign(assignee, now);
                ticket.Record(actor, channel, "assigned", assignee.Name, now);
                events.Publish(new TicketAssigned(ticket.Id, assignee, actor, now));
                return Done(ticket, Md.Text($"Assigned *{ticket.Id}* to {assignee.Name}."));

            case TicketVerb.Wait:
                ticket.WaitOnRequester(actor, now, sla);
                ticket.Record(actor, channel, "waiting on requester", null, now);
                messages.ToThread(ticket, $"wait:{ticket.Audit.Count}", TicketReplies.Paused(ticket, actor));
                events.Publish(new TicketWaitingOnRequester(ticket.Id, ticket.Requester.ToUserRef(), now));
                return Done(ticket, Md.Text($"*{ticket.Id}* is waiting on {ticket.Requester.Name}; the resolution clock is paused until they answer."));

            case TicketVerb.Resolve:
                if (change.Text is { } note)
                {
                    ticket.AddComment(actor, note, byAgent: true, byBot: false, now, sla);
                }

                ticket.Resolve(actor, now, sla);
                ticket.Record(actor, channel, "resolved", change.Text, now);
                messages.ToThread(ticket, $"resolved:{ticket.Audit.Count}", TicketReplies.Resolved(ticket, actor, change.Text, ReopenWindow));
                events.Publish(new TicketResolved(ticket.Id, ticket.Requester.ToUserRef(), actor, change.Text, now - ticket.CreatedAt, now));
                return Done(ticket, Md.Text($"Resolved *{ticket.Id}*."));

            case TicketVerb.Reopen:
                var since = ticket.ClosedAt ?? ticket.ResolvedAt ?? ticket.UpdatedAt;
                if (now - since > ReopenWindow && role != Role.Admin)
                {
                    return TicketOutcome.Refuse(Md.Text($"{ticket.Id} was {Md.Raw(TicketReplies.StateWords(ticket.State).ToLowerInvariant())} {TimeWords.At(since, replies.ZoneOf(actor))}, more than {TimeWords.Duration(ReopenWindow, days: true)} ago, so it can no longer be reopened; please file a new ticket (admins can still reopen it). Nothing was changed."));
                }

                ticket.Reopen(now, sla);
                ticket.Record(actor, channel, "reopened", null, now);
                messages.ToThread(ticket, $"reopened:{ticket.Audit.Count}", TicketReplies.Changed(ticket, actor, "reopened"));
                events.Publish(new TicketReopened(ticket.Id, actor, now));
                return Done(ticket, ticket.FirstRespondedAt is null
                    ? Md.Text($"Reopened *{ticket.Id}*; its first-response and resolution clocks carry on where they stopped.")
                    : Md.Text($"Reopened *{ticket.Id}*; its resolution clock carries on where it stopped."));

            case TicketVerb.Close:
                ticket.Close(now, sla);
                ticket.Record(actor, channel, "closed", null, now);
                messages.ToThread(ticket, $"closed:{ticket.Audit.Count}", TicketReplies.Changed(ticket, actor, "closed"));
                events.Publish(new TicketClosed(ticket.Id, actor, now));
                return Done(ticket, Md.Text($"Closed *{ticket.Id}*."));

            case TicketVerb.Comment:
                var text = change.Text ?? string.Empty;
                if (text.Length > TicketCommandParser.MaxCommentLength)
                {
                    return TicketOutcome.Refuse(Md.Text($"That comment is {text.Length:N0} characters long; the limit is {TicketCommandParser.MaxCommentLength:N0}. Nothing was added."));
                }

                var resumed = ticket.AddComment(actor, text, byAgent: role >= Role.Agent, byBot: false, now, sla);
                ticket.Record(actor, channel, "commented", text.Length > 80 ? text[..80] + "…" : text, now);
                if (!fromThread)
                {
                    messages.ToThread(ticket, $"comment:{ticket.Audit.Count}", TicketReplies.Commented(ticket, actor, text));
                }

                if (resumed)
                {
                    messages.ToThread(ticket, $"resumed:{ticket.Audit.Count}", replies.Resumed(ticket));
                }

                return Done(ticket, resumed
                    ? Md.Text($"Added your comment to *{ticket.Id}*; its clock runs again.")
                    : Md.Text($"Added your comment to *{ticket.Id}*."));

            case TicketVerb.Priority:
                var to = change.Priority ?? ticket.Priority;
                if (to == ticket.Priority)
                {
                    return TicketOutcome.Refuse(Md.Text($"{ticket.Id} is already {to}. Nothing was changed."));
                }

                var from = ticket.Priority;
                ticket.ChangePriority(to, now, sla);
                ticket.Record(actor, channel, "changed priority", $"{from} → {to}", now);
                messages.ToThread(ticket, $"priority:{ticket.Audit.Count}", replies.PriorityChanged(ticket, actor, from, now));
                events.Publish(new TicketPriorityChanged(ticket.Id, from, to, actor, now));
                return Done(ticket, Md.Text($"*{ticket.Id}* is now {to}."));

            default:
                return TicketOutcome.Refuse(Md.Text($"That change is not supported."));
        }
    }

    /// <summary>
    /// Tells other features which response clocks the agent's change answered (escalation stops the chains those clocks
    /// started). After the change's own events, so that an acknowledgement or a resolution is reported as such first.
    /// </summary>
    private void PublishResponses(Ticket ticket, Unanswered before, UserRef agent, DateTimeOffset now)
    {
        if (before.FirstResponse && ticket.FirstRespondedAt is not null)
        {
            events.Publish(new TicketResponded(ticket.Id, SlaMetric.FirstResponse, agent, now));
        }

        // While open, only an agent's reply stops a round of next response (closing and resolving stop every clock).
        if (before.NextResponseRound is { } round && ticket.IsOpen && ticket.Timer(SlaMetric.NextResponse) is { Status: SlaTimerStatus.Stopped } next && next.Cycle == round)
        {
            events.Publish(new TicketResponded(ticket.Id, SlaMetric.NextResponse, agent, now));
        }
    }

    private static TicketOutcome Done(Ticket ticket, RichText confirmation) => new(ticket, null, confirmation);

    private static RichText NotAllowed(Ticket ticket, TicketVerb verb)
    {
        var allowed = Ticket.AllowedIn(ticket.State).Select(TicketReplies.VerbWords);
        return Md.Text($"{ticket.Id} is {Md.Raw(TicketReplies.StateWords(ticket.State).ToLowerInvariant())}, so it cannot take `{Md.Raw(TicketReplies.VerbWords(verb))}`; from there it can take: {Md.Raw(string.Join(", ", allowed))}. Nothing was changed.");
    }

    /// <summary><c>me</c>, a user id, <c>@name</c>, or a channel mention (<c>&lt;@U123&gt;</c>, <c>&lt;@U123|dana&gt;</c>), in the actor's channel.</summary>
    internal static UserRef? ResolveAssignee(string text, UserRef actor)
    {
        var word = text.Trim();
        if (word.Equals("me", StringComparison.OrdinalIgnoreCase))
        {
            return actor;
        }

        if (word.StartsWith("<@", StringComparison.Ordinal) && word.EndsWith('>'))
        {
            var inner = word[2..^1];
            var bar = inner.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? new UserRef(actor.Channel, inner) : new UserRef(actor.Channel, inner[..bar], inner[(bar + 1)..]);
        }

        word = word.TrimStart('@');
        return word.Length is > 0 and <= 64 && word.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ':')
            ? new UserRef(actor.Channel, word)
            : null;
    }

    private static RichText? Validate(TicketRequest request)
    {
        var summary = request.Summary?.Trim() ?? string.Empty;
        if (summary.Length == 0)
        {
            return Md.Text($"The summary is empty: say in one line what is wrong.");
        }

        if (summary.Length > TicketCommandParser.MaxSummaryLength)
        {
            return Md.Text($"The summary is {summary.Length:N0} characters long; the limit is {TicketCommandParser.MaxSummaryLength}. Put the details in the description.");
        }

        if (request.Description is { Length: > TicketCommandParser.MaxDescriptionLength } d)
        {
            return Md.Text($"The description is {d.Length:N0} characters long; the limit is {TicketCommandParser.MaxDescriptionLength:N0}.");
        }

        if (request.Category is { Length: > 0 } c && TicketCommandParser.ParseCategory("#" + c.Trim().TrimStart('#')) is null)
        {
            return Md.Text($"`{c}` is not a category: one word of letters, digits, '-' or '_', up to 32 characters, starting with a letter.");
        }

        if (request.Service is { Length: > MaxServiceLength } s)
        {
            return Md.Text($"The service is {s.Length:N0} characters long; the limit is {MaxServiceLength}.");
        }

        if (!Enum.IsDefined(request.Priority))
        {
            return Md.Text($"That priority is unknown; use P1 to P4.");
        }

        return null;
    }

    private static TimeSpan Median(List<TimeSpan> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : TimeSpan.FromTicks((sorted[(sorted.Count / 2) - 1].Ticks + sorted[sorted.Count / 2].Ticks) / 2);

    /// <summary>The response clocks still waiting for an agent before a change: the first response, the running round of next response.</summary>
    private readonly record struct Unanswered(bool FirstResponse, int? NextResponseRound)
    {
        public static Unanswered Of(Ticket ticket) =>
            new(ticket.FirstRespondedAt is null, ticket.Timer(SlaMetric.NextResponse) is { IsRunning: true } next ? next.Cycle : null);
    }
}
