using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PlatformBot.Conversations;
using PlatformBot.Features.Escalation.OnCall;
using PlatformBot.Outbox;
using PlatformBot.Storage;
using PlatformBot.Team;

namespace PlatformBot.Features.Escalation;

internal enum StartOutcome
{
    Started,

    /// <summary>This trigger already started a chain for the ticket (an event seen twice).</summary>
    AlreadyStarted,

    /// <summary>Another chain for the ticket is still walking; it carries on.</summary>
    AlreadyEscalating,
    NoPolicy,
}

internal sealed record StartResult(StartOutcome Outcome, EscalationChain? Chain);

/// <summary>The answer to a click or a reassignment: what to tell the person, and whether it changed anything.</summary>
internal sealed record ChainAnswer(bool Changed, RichText Text, EscalationChain? Chain = null, TicketFacts? Ticket = null);

/// <summary>
/// Starts, moves and stops escalation chains. Every move is one LiteDB transaction holding the chain's new state, its
/// outbox rows (keyed by ticket, trigger, level and repeat, so nothing goes out twice) and its audit lines.
/// </summary>
internal sealed partial class EscalationEngine(
    PlatformDatabase database,
    EscalationChainStore chains,
    IOutbox outbox,
    EscalationBook book,
    OnCallRoster roster,
    PeopleDirectory people,
    IEscalationTickets tickets,
    IRoles roles,
    ICardDirectory cards,
    TimeProvider time,
    IOptions<EscalationOptions> options,
    IOptions<TeamOptions> team,
    IMeterFactory meters,
    ILogger<EscalationEngine> logger)
{
    private readonly Counter<long> _pages = meters.Meter().CreateCounter<long>("platformbot.escalation.pages", description: "Escalation pings queued, by level");

    // One process owns the database (the lock file); this keeps a click and the sweep from moving the same chain at once.
    private readonly Lock _gate = new();

    public TimeZoneInfo TeamZone { get; } = ZonedTime.TryFindZone(team.Value.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Starts a chain for the ticket, paging its first level in the same transaction.</summary>
    /// <param name="trigger"><c>created</c>, <c>sla-warning:…</c>, <c>sla-breached:…</c>; null for a manual escalation (numbered).</param>
    public StartResult Start(TicketFacts ticket, string? trigger, string why, UserRef? by = null)
    {
        var policy = book.PolicyFor(ticket.Priority, ticket.Category);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return database.InTransaction(() =>
            {
                var existing = chains.ForTicket(ticket.Id);
                trigger ??= $"manual-{existing.Count(c => c.Trigger.StartsWith("manual-", StringComparison.Ordinal)) + 1}";
                var id = $"{ticket.Id}:{trigger}";
                if (existing.Any(c => c.Id == id))
                {
                    return new StartResult(StartOutcome.AlreadyStarted, existing.First(c => c.Id == id));
                }

                if (existing.LastOrDefault(c => c.Status == ChainStatus.Active) is { } active)
                {
                    tickets.Audit(ticket.Id, by, $"Escalation not started again ({why}): {active.Id} is still escalating.", now);
                    return new StartResult(StartOutcome.AlreadyEscalating, active);
                }

                if (policy is null)
                {
                    tickets.Audit(ticket.Id, by, $"Not escalated ({why}): no escalation policy matches {ticket.Priority}{(ticket.Category is null ? string.Empty : " / " + ticket.Category)}.", now);
                    return new StartResult(StartOutcome.NoPolicy, null);
                }

                var chain = new EscalationChain
                {
                    Id = id,
                    TicketId = ticket.Id,
                    Trigger = trigger,
                    Why = why,
                    TriggeredBy = by?.Key,
                    TriggeredByRequester = by is not null && !roles.IsAgent(by),
                    Policy = policy.Name,
                    Priority = ticket.Priority,
                    Category = ticket.Category,
                    StartedAt = now.UtcDateTime,
                    Status = ChainStatus.Active,
                    NextAt = now.UtcDateTime,
                };
                Note(chain, by, $"Chain {id} started ({why}); policy {policy.Name}.", now);
                Step(chain, ticket, policy, now);
                chains.Insert(chain);
                return new StartResult(StartOutcome.Started, chain);
            });
        }
    }

    /// <summary>Moves every chain whose next step has come. Returns how many moved.</summary>
    public int RunDue()
    {
        var now = time.GetUtcNow();
        var moved = 0;
        foreach (var due in chains.Due(now, 200))
        {
            try
            {
                lock (_gate)
                {
                    moved += database.InTransaction(() =>
                    {
                        var chain = chains.Get(due.Id);
                        if (chain is not { Status: ChainStatus.Active, NextAt: { } next } || Stored.Read(next) > now)
                        {
                            return 0;
                        }

                        var ticket = tickets.Find(chain.TicketId);
                        if (ticket is not { IsOpen: true })
                        {
                            Stop(chain, ticket, ChainStatus.Cancelled, ticket is null ? "the ticket no longer exists" : "the ticket is resolved", now);
                        }
                        else if (book.Policy(chain.Policy) is not { } policy)
                        {
                            Stop(chain, ticket, ChainStatus.Cancelled, $"the policy {chain.Policy} is no longer configured", now);
                        }
                        else
                        {
                            Step(chain, ticket, policy, now);
                        }

                        chains.Update(chain);
                        return 1;
                    });
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStepFailed(ex, due.Id);
            }
        }

        return moved;
    }

    /// <summary>Stops the ticket's active chain (the ticket was resolved or closed), or only when it is one of <paramref name="which"/> (the ticket was answered).</summary>
    public void StopFor(string ticketId, string reason, Func<EscalationChain, bool>? which = null)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                if (chains.ActiveFor(ticketId) is { } chain && (which is null || which(chain)))
                {
                    Stop(chain, tickets.Find(ticketId), ChainStatus.Cancelled, reason, now);
                    chains.Update(chain);
                }
            });
        }
    }

    public ChainAnswer Acknowledge(string chainId, UserRef user, string? clickedCard) => Change(chainId, user, (chain, ticket, now) =>
    {
        if (chain.Status == ChainStatus.Acknowledged)
        {
            return new ChainAnswer(false, Md.Text($"{ticket.Id} was already acknowledged by {Display(chain.AcknowledgedBy)} at {ZonedTime.Format(Stored.Read(chain.AcknowledgedAt!.Value), TeamZone)}."));
        }

        if (chain.Status == ChainStatus.Cancelled)
        {
            return new ChainAnswer(false, Md.Text($"This escalation of {ticket.Id} has stopped; there is nothing to acknowledge."));
        }

        Acknowledged(chain, ticket, user, now, clickedCard);
        if (roles.IsAgent(user))
        {
            tickets.RecordAcknowledgement(ticket.Id, user, now);
        }

        var zone = ReaderZone(user);
        return new ChainAnswer(true, Md.Text($"You acknowledged {ticket.Id} at {ZonedTime.Format(now, zone)} {zone.Id}; the escalation stops."), chain, ticket);
    });

    /// <summary>An agent acknowledged the ticket itself (its card's Acknowledge button): its chain stops as acknowledged.</summary>
    public void AcknowledgedOnTicket(string ticketId, UserRef agent)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                if (chains.ActiveFor(ticketId) is { } chain && tickets.Find(ticketId) is { } ticket)
                {
                    Acknowledged(chain, ticket, agent, now, clickedCard: null);
                    chains.Update(chain);
                }
            });
        }
    }

    public ChainAnswer Snooze(string chainId, UserRef user) => Change(chainId, user, (chain, ticket, now) =>
    {
        if (chain.Status != ChainStatus.Active)
        {
            return new ChainAnswer(false, Md.Text($"{ticket.Id} is not escalating any more ({Describe(chain)})."));
        }

        var until = now + EscalationRoutes.SnoozeFor;
        chain.Snoozes++;
        chain.RepagePerson = chain.Paged.LastOrDefault(p => people.IsPerson(p, user)) ?? user.Key;
        chain.NextAt = until.UtcDateTime;
        Note(chain, user, $"Snoozed by {user.Name} until {ZonedTime.Format(until, TeamZone)}; they are paged again then.", now);
        Thread(chain, $"snooze{chain.Snoozes}", Md.Text($"{Md.Mention(user)} snoozed the escalation for 15 min."));
        var zone = ReaderZone(user);
        return new ChainAnswer(true, Md.Text($"Snoozed until {ZonedTime.Format(until, zone)} {zone.Id}. You will be paged again then unless someone acknowledges; nobody else is paged meanwhile."), chain, ticket);
    });

    public ChainAnswer Reassign(string chainId, UserRef user, string typedPerson) => Change(chainId, user, (chain, ticket, now) =>
    {
        if (chain.Status is ChainStatus.Acknowledged or ChainStatus.Cancelled)
        {
            return new ChainAnswer(false, Md.Text($"{ticket.Id} is not escalating any more ({Describe(chain)})."));
        }

        if (people.FindKnown(typedPerson) is not { } person || people.Person(person) is not { } target)
        {
            return new ChainAnswer(false, Md.Text($"I don't know {typedPerson}: pick someone from a schedule or the platform team."));
        }

        chain.Reassignments++;
        chain.Status = ChainStatus.Active;
        chain.RepagePerson = null;
        chain.NextAt = (now + chain.LastAfter).UtcDateTime;
        var step = $"reassigned to you by {user.Name}";
        PagePerson(chain, ticket, person, target, $"escalation:{chain.Id}:reassign{chain.Reassignments}:{person}", step, NextText(chain.LastAfter, now));
        Note(chain, user, $"Reassigned by {user.Name} to {target.Name}.", now);
        Thread(chain, $"reassign{chain.Reassignments}", Md.Text($"{Md.Mention(user)} reassigned the escalation to {Md.Mention(target)}."));
        return new ChainAnswer(true, Md.Text($"Reassigned {ticket.Id} to {target.Name}; they are paged now."), chain, ticket);
    });

    /// <summary>The ticket's last chain that a requester started, and when they may escalate again.</summary>
    public DateTimeOffset? RequesterMayEscalateAgainAt(string ticketId)
    {
        var last = chains.ForTicket(ticketId).LastOrDefault(c => c.TriggeredByRequester);
        var again = last is null ? (DateTimeOffset?)null : Stored.Read(last.StartedAt) + options.Value.RequesterCooldown;
        return again > time.GetUtcNow() ? again : null;
    }

    public EscalationChain? ActiveChain(string ticketId) => chains.ActiveFor(ticketId);

    public EscalationChain? Chain(string id) => chains.Get(id);

    /// <summary>Who a target means at an instant: the one resolution behind live chains, dry runs and the coverage check.</summary>
    public IEnumerable<Recipient> Resolve(EscalationTarget target, DateTimeOffset at) => target.Kind switch
    {
        TargetKind.Schedule => roster.OnCallAt(target.Name, at) is { } member ? [new Recipient(RecipientKind.Person, member, $"on call in {target.Name}")] : [],
        TargetKind.User => [new Recipient(RecipientKind.Person, target.Name, "named in the policy")],
        _ => [new Recipient(RecipientKind.Channel, target.Name, "channel")],
    };

    public IReadOnlyList<PlannedStep> DryRun(EscalationPolicy policy, string priority, DateTimeOffset at) =>
        ChainPlanner.Simulate(policy, priority, at, Resolve);

    /// <summary>The zone a person reads times in: their own when the channel told us, else <c>Team:TimeZone</c>.</summary>
    public TimeZoneInfo ReaderZone(UserRef user) => ZonedTime.TryFindZone(user.TimeZone, out var zone) ? zone : TeamZone;

    /// <summary>Whether the person may answer the chain's pings (they were paged, or they are an agent).</summary>
    public bool MayAnswer(EscalationChain chain, UserRef user) => roles.IsAgent(user) || chain.Paged.Exists(p => people.IsPerson(p, user));

    public string Display(string? personOrKey) => personOrKey is null ? "nobody" : people.Person(personOrKey)?.Name ?? personOrKey;

    private ChainAnswer Change(string chainId, UserRef user, Func<EscalationChain, TicketFacts, DateTimeOffset, ChainAnswer> change)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return database.InTransaction(() =>
            {
                var chain = chains.Get(chainId);
                var ticket = chain is null ? null : tickets.Find(chain.TicketId);
                if (chain is null || ticket is null)
                {
                    return new ChainAnswer(false, Md.Text($"That escalation no longer exists."));
                }

                if (!MayAnswer(chain, user))
                {
                    return new ChainAnswer(false, Md.Text($"Only the people paged for {ticket.Id} and the platform team's agents can answer this escalation."));
                }

                var answer = change(chain, ticket, now);
                if (answer.Changed)
                {
                    chains.Update(chain);
                }

                return answer;
            });
        }
    }

    private void Step(EscalationChain chain, TicketFacts ticket, EscalationPolicy policy, DateTimeOffset now)
    {
        if (chain.RepagePerson is { } repage)
        {
            chain.RepagePerson = null;
            chain.NextAt = (now + chain.LastAfter).UtcDateTime;
            if (people.Person(repage) is { } again)
            {
                PagePerson(chain, ticket, repage, again, $"escalation:{chain.Id}:snooze{chain.Snoozes}:{repage}", "again after your snooze", NextText(chain.LastAfter, now));
                Note(chain, null, $"Snooze over: paged {again.Name} again.", now);
            }

            return;
        }

        switch (ChainPlanner.Next(policy, chain.Priority, new ChainPosition(chain.NextLevel, chain.Round), now, Resolve))
        {
            case WaitStep wait:
                if (!chain.WaitingForHours)
                {
                    var calendar = policy.CalendarFor(chain.Priority);
                    Note(chain, null, $"{chain.Priority} outside business hours ({calendar.Describe()}): waiting until {ZonedTime.Format(wait.Until, calendar.TimeZone)}.", now);
                    Thread(chain, $"wait:L{chain.NextLevel + 1}:R{chain.Round}", Md.Text($"Escalation waits for business hours: {chain.Priority} tickets are paged from {ZonedTime.Format(wait.Until, calendar.TimeZone)} {calendar.TimeZone.Id}."));
                }

                chain.WaitingForHours = true;
                chain.NextAt = wait.Until.UtcDateTime;
                break;
            case PageStep page:
                chain.WaitingForHours = false;
                chain.Round = page.Round;
                PageLevel(chain, ticket, policy, page, now);
                chain.NextLevel = page.Next.Level;
                chain.Round = page.Next.Round;
                chain.LastAfter = page.After;
                chain.NextAt = (now + page.After).UtcDateTime;
                break;
            case ExhaustedStep:
                Stop(chain, ticket, ChainStatus.Exhausted, policy.Repeat > 0 ? $"nobody acknowledged after {policy.Repeat + 1} rounds" : "nobody acknowledged", now);
                break;
            default:
                break;
        }
    }

    private void PageLevel(EscalationChain chain, TicketFacts ticket, EscalationPolicy policy, PageStep page, DateTimeOffset now)
    {
        var label = $"L{page.Level + 1}:R{page.Round}";
        var step = $"level {page.Level + 1} of {policy.Levels.Count}" + (page.Round > 0 ? $", repeat {page.Round} of {policy.Repeat}" : string.Empty);
        var paged = new List<UserRef>();
        var posted = new List<ConversationAddress>();
        var at = $"{ZonedTime.Format(now + page.After, TeamZone)} {TeamZone.Id}";
        var next = ChainPlanner.Peek(policy, page.Next) is { } following
            ? $"level {following.Level + 1} is paged at {at} ({(int)page.After.TotalMinutes} min)"
            : $"the escalation ends at {at} ({(int)page.After.TotalMinutes} min); nobody else is paged";
        foreach (var recipient in page.Recipients)
        {
            var key = $"escalation:{chain.Id}:{label}:{recipient.Id}";
            if (recipient.Kind == RecipientKind.Person && people.Person(recipient.Id) is { } user)
            {
                PagePerson(chain, ticket, recipient.Id, user, key, step, next);
                paged.Add(user);
            }
            else if (recipient.Kind == RecipientKind.Channel && people.Conversation(recipient.Id) is { } address)
            {
                outbox.Enqueue(new OutboundMessage(key, new ToConversation(address), EscalationReplies.Page(ticket, chain, step, Where(ticket), next, EscalationRoutes.PageCardPrefix + key)));
                chain.PageCards.Add(EscalationRoutes.PageCardPrefix + key);
                posted.Add(address);
            }
            else
            {
                LogNoChannel(recipient.Id, chain.Id);
            }
        }

        var pages = paged.Count + posted.Count;
        PlatformDatabase.AfterCommit(() => _pages.Add(pages, new KeyValuePair<string, object?>("level", page.Level + 1))); // queued once it commits
        var skipped = page.SkippedLevels.Count > 0 ? $" (level {string.Join(", ", page.SkippedLevels.Select(l => l + 1))} had nobody to page)" : string.Empty;
        Note(chain, null, $"{Capitalized(step)}: paged {string.Join(", ", page.Recipients.Select(r => $"{Display(r.Id)} ({r.Via})"))}{skipped}.", now);
        Thread(chain, label, Md.Text($"Paged {EscalationReplies.Names(paged, posted)} ({step}, policy `{policy.Name}`: {chain.Why}).{skipped}"));
    }

    private void PagePerson(EscalationChain chain, TicketFacts ticket, string person, UserRef user, string key, string step, string next)
    {
        var card = EscalationRoutes.PageCardPrefix + key;
        if (outbox.Enqueue(new OutboundMessage(key, new ToUser(user), EscalationReplies.Page(ticket, chain, step, Where(ticket), next, card))))
        {
            chain.PageCards.Add(card);
        }

        if (!chain.Paged.Contains(person))
        {
            chain.Paged.Add(person);
        }
    }

    private void Acknowledged(EscalationChain chain, TicketFacts ticket, UserRef user, DateTimeOffset now, string? clickedCard)
    {
        var minutes = (int)Math.Round((now - Stored.Read(chain.StartedAt)).TotalMinutes);
        chain.Status = ChainStatus.Acknowledged;
        chain.AcknowledgedBy = user.Key;
        chain.AcknowledgedAt = now.UtcDateTime;
        chain.EndedAt = now.UtcDateTime;
        chain.NextAt = null;
        chain.RepagePerson = null;
        Note(chain, user, $"Acknowledged by {user.Name} after {minutes} min; the escalation stops.", now);
        Thread(chain, "ack", Md.Text($"{Md.Mention(user)} acknowledged the escalation ({minutes} min after it started)."));
        var outcome = Md.Text($"Acknowledged by {user.Name} at {ZonedTime.Format(now, TeamZone)} {TeamZone.Id}: no action needed.");
        foreach (var card in chain.PageCards.Where(c => c != clickedCard))
        {
            outbox.Enqueue(new OutboundMessage($"escalation:{chain.Id}:ack:{card}", new UpdateCard(card), EscalationReplies.Settled(ticket, outcome)));
        }
    }

    private void Stop(EscalationChain chain, TicketFacts? ticket, ChainStatus status, string reason, DateTimeOffset now)
    {
        chain.Status = status;
        chain.NextAt = null;
        chain.EndedAt = now.UtcDateTime;
        chain.RepagePerson = null;
        Note(chain, null, $"Chain {chain.Id} stopped: {reason}.", now);
        if (ticket is null)
        {
            return;
        }

        Thread(chain, "end", Md.Text($"Escalation stopped: {reason}."));
        var outcome = Md.Text($"Escalation stopped: {reason}.");
        foreach (var card in chain.PageCards)
        {
            outbox.Enqueue(new OutboundMessage($"escalation:{chain.Id}:end:{card}", new UpdateCard(card), EscalationReplies.Settled(ticket, outcome)));
        }
    }

    private void Note(EscalationChain chain, UserRef? by, string text, DateTimeOffset now)
    {
        chain.History.Add(new ChainEvent { At = now.UtcDateTime, Text = text });
        tickets.Audit(chain.TicketId, by, text, now);
    }

    private void Thread(EscalationChain chain, string suffix, RichText line) =>
        outbox.Enqueue(new OutboundMessage($"escalation:{chain.Id}:thread:{suffix}", new ToCardThread(TicketCards.Key(chain.TicketId)), EscalationReplies.Thread(line)));

    private string? Where(TicketFacts ticket) =>
        cards.Find(TicketCards.Key(ticket.Id)).FirstOrDefault(p => !p.Conversation.IsDirect) is { } posted ? "#" + posted.Conversation.ConversationId : null;

    private string NextText(TimeSpan after, DateTimeOffset now) =>
        $"the next step comes at {ZonedTime.Format(now + after, TeamZone)} {TeamZone.Id} ({(int)after.TotalMinutes} min)";

    private string Describe(EscalationChain chain) => chain.Status switch
    {
        ChainStatus.Acknowledged => $"acknowledged by {Display(chain.AcknowledgedBy)}",
        ChainStatus.Exhausted => "nobody acknowledged and every level was paged",
        ChainStatus.Cancelled => "it was stopped",
        _ => "escalating",
    };

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation chain {Chain} could not move; the sweep tries again")]
    private partial void LogStepFailed(Exception ex, string chain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation target {Target} of chain {Chain} cannot be paged: no channel is configured for it")]
    private partial void LogNoChannel(string target, string chain);
}
