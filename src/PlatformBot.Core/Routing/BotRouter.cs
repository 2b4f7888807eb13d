using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PlatformBot.Conversations;
using PlatformBot.Storage;
using PlatformBot.Team;

namespace PlatformBot.Routing;

/// <summary>Hands what the channels translated to the feature handlers, and makes sure no exception reaches a person.</summary>
public interface IBotRouter
{
    Task<Reply> HandleCommandAsync(IncomingCommand command, CancellationToken cancellationToken = default);

    /// <summary>Free text: a command typed as text (<c>/ticket …</c>, or <c>ticket …</c> when addressed to the bot), a reply in a card's thread, or a question.</summary>
    Task<Reply> HandleMessageAsync(IncomingMessage message, CancellationToken cancellationToken = default);

    Task<Reply> HandleInteractionAsync(IncomingInteraction interaction, CancellationToken cancellationToken = default);

    RouteTable Routes { get; }
}

public sealed partial class BotRouter(
    RouteTable routes,
    IServiceScopeFactory scopes,
    IRoles roles,
    ICardDirectory cards,
    IMeterFactory meters,
    ILogger<BotRouter> logger) : IBotRouter
{
    /// <summary>The longest text a person may send; Slack's own limit for a message is 40,000, ours is for what we store.</summary>
    public const int MaxTextLength = 4000;

    public const string HelpCommand = "help";

    private readonly Counter<long> _handled = meters.Meter().CreateCounter<long>("platformbot.requests", description: "Commands, messages and interactions handled");
    private readonly Histogram<double> _duration = meters.Meter().CreateHistogram<double>("platformbot.request.duration", "ms");

    public RouteTable Routes => routes;

    public Task<Reply> HandleCommandAsync(IncomingCommand command, CancellationToken cancellationToken = default) =>
        GuardAsync("command:" + command.Name, command.User, async () =>
        {
            if (TooLong(command.Text) is { } refusal)
            {
                return refusal;
            }

            if (command.Name == HelpCommand)
            {
                return Help(command.Text, command.User);
            }

            if (!routes.Commands.TryGetValue(command.Name, out var route))
            {
                return Unknown(command.Name, command.User);
            }

            if (roles.RoleOf(command.User) < route.MinimumRole)
            {
                return Reply.Private(Md.Text($"`/{route.Name}` is for the platform team's {Md.Raw(route.MinimumRole == Role.Admin ? "admins" : "agents")}."));
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = (ICommandHandler)scope.ServiceProvider.GetRequiredService(route.HandlerType);
            return await handler.HandleAsync(command, cancellationToken);
        }, cancellationToken);

    public Task<Reply> HandleMessageAsync(IncomingMessage message, CancellationToken cancellationToken = default) =>
        GuardAsync("message", message.User, async () =>
        {
            if (TooLong(message.Text) is { } refusal)
            {
                return refusal;
            }

            var text = message.Text.Trim();
            var slash = text.StartsWith('/');
            var cardKey = message.Conversation.ThreadId is { } thread
                ? cards.FindKey(message.Conversation.Channel, message.Conversation.ConversationId, thread)
                : null;

            // In a card's thread, words are a reply to the card ("ticket still drops on the wifi" is a comment on the
            // ticket, not a new one); only an explicit /command runs there.
            if ((slash || (message.AddressedToBot && cardKey is null)) && CommandText.TryParse(text, out var name, out var rest)
                && (name == HelpCommand || routes.Commands.ContainsKey(name) || slash))
            {
                return await HandleCommandAsync(new IncomingCommand(name, rest, message.User, message.Conversation) { MessageId = message.MessageId }, cancellationToken);
            }

            await using var scope = scopes.CreateAsyncScope();
            foreach (var route in routes.Messages)
            {
                var mine = route.CardKeyPrefix is null
                    ? message.AddressedToBot && cardKey is null
                    : cardKey is not null && cardKey.StartsWith(route.CardKeyPrefix, StringComparison.Ordinal);
                if (!mine)
                {
                    continue;
                }

                var handler = (IMessageHandler)scope.ServiceProvider.GetRequiredService(route.HandlerType);
                if (await handler.HandleAsync(message, cardKey, cancellationToken) is { } reply)
                {
                    return reply;
                }
            }

            return message.AddressedToBot && text.Length > 0
                ? Reply.Private(Md.Text($"I did not understand that. Type `help` to see what I can do."))
                : Reply.None;
        }, cancellationToken);

    public Task<Reply> HandleInteractionAsync(IncomingInteraction interaction, CancellationToken cancellationToken = default) =>
        GuardAsync("interaction", interaction.User, async () =>
        {
            var longest = interaction.Values.Values.Append(interaction.Value ?? string.Empty).FirstOrDefault(v => v.Length > MaxTextLength);
            if (longest is not null)
            {
                return TooLong(longest)!;
            }

            var route = routes.FindInteraction(interaction.ActionId);
            if (route is null)
            {
                LogUnknownAction(interaction.ActionId);
                return Reply.Private(Md.Text($"That button is no longer supported. Type `help` to see what I can do."));
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = (IInteractionHandler)scope.ServiceProvider.GetRequiredService(route.HandlerType);
            return await handler.HandleAsync(interaction, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Runs a handler: a failure is answered with an apology and a reference, never an exception. Only the caller's own
    /// cancellation (the request went away, the host is stopping) passes through; a handler's own timeout is a failure.
    /// </summary>
    private async Task<Reply> GuardAsync(string kind, UserRef user, Func<Task<Reply>> work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception ex)
        {
            outcome = "error";
            PlatformDatabase.AbandonOpenWork(); // run inside a channel's batch: its partial writes must not commit
            var reference = Activity.Current?.TraceId.ToHexString()[..12] ?? Guid.NewGuid().ToString("N")[..12];
            LogHandlerFailed(ex, kind, user.Key, reference);
            return Reply.Private(Md.Text($"Sorry, something went wrong on our side. The platform team can look it up with reference `{reference}`."));
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            void Count()
            {
                _handled.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
                _duration.Record(elapsed, new KeyValuePair<string, object?>("kind", kind));
            }

            // Work inside a channel's batch counts once the batch commits: a batch that rolls back runs its work again.
            // A failure counts at once; it is answered by its apology and not run again.
            if (outcome == "error")
            {
                Count();
            }
            else
            {
                PlatformDatabase.AfterCommit(Count);
            }
        }
    }

    private static Reply? TooLong(string text) =>
        text.Length > MaxTextLength
            ? Reply.Private(Md.Text($"That is {text.Length:N0} characters long; the limit is {MaxTextLength:N0}. Please shorten it, or attach details to the ticket afterwards."))
            : null;

    private Reply Unknown(string name, UserRef user)
    {
        var list = Md.Lines(Visible(user).Select(r => Md.Text($"• `/{Md.Raw(r.Name)}`: {Md.Raw(r.Summary)}")));
        return Reply.Private(Md.Text($"I don't know the command `{name}`. These are the ones I know:\n{list}"));
    }

    private Reply Help(string topic, UserRef user)
    {
        var name = topic.Trim().TrimStart('/').ToLowerInvariant();
        if (name.Length > 0 && routes.Commands.TryGetValue(name, out var route))
        {
            return Reply.Private(Md.Text($"*/{Md.Raw(route.Name)}*: {Md.Raw(route.Summary)}\n{Md.Raw(route.Usage)}"));
        }

        var lines = Visible(user).Select(r => Md.Text($"• `/{Md.Raw(r.Name)}`: {Md.Raw(r.Summary)}"));
        var body = Md.Lines(lines);
        return new Reply
        {
            Visibility = ReplyVisibility.OnlyRequester,
            Blocks =
            [
                new HeaderBlock(Md.Text($"What I can do")),
                new TextBlock(body),
                new ContextBlock([Md.Text($"Type `help <command>` for details. In Slack and Teams, mention me or use the slash commands; in a DM just type the command.")]),
            ],
        };
    }

    private IEnumerable<CommandRoute> Visible(UserRef user)
    {
        var role = roles.RoleOf(user);
        return routes.Commands.Values.Where(r => r.MinimumRole <= role).OrderBy(r => r.Name, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Kind} for {User} failed (reference {Reference})")]
    private partial void LogHandlerFailed(Exception ex, string kind, string user, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "No interaction handler for action id {ActionId}")]
    private partial void LogUnknownAction(string actionId);
}
