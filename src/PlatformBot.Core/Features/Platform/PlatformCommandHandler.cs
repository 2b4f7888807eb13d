using System.Collections.Immutable;
using PlatformBot.Conversations;
using PlatformBot.Outbox;
using PlatformBot.Routing;
using PlatformBot.Team;

namespace PlatformBot.Features.Platform;

internal sealed class PlatformCommandHandler(LiteDbOutbox outbox, IRoles roles, IEnumerable<IPlatformSubcommand> subcommands) : ICommandHandler, IInteractionHandler
{
    public Task<Reply> HandleAsync(IncomingCommand command, CancellationToken cancellationToken)
    {
        var (verb, rest) = CommandText.SplitVerb(command.Text);
        if (subcommands.FirstOrDefault(s => s.Verb == verb) is { } subcommand)
        {
            return subcommand.HandleAsync(command, rest, cancellationToken);
        }

        return Task.FromResult(verb switch
        {
            "outbox" => Outbox(),
            _ => Reply.Private(Md.Text($"Usage: `/platform outbox`").Append(Md.Lines(subcommands.Select(s => Md.Parse(s.Usage)).Prepend(RichText.Empty)))),
        });
    }

    public Task<Reply> HandleAsync(IncomingInteraction interaction, CancellationToken cancellationToken)
    {
        if (!roles.IsAdmin(interaction.User))
        {
            return Task.FromResult(Reply.Private(Md.Text($"Only the platform team's admins can replay messages.")));
        }

        if (interaction.ActionId != PlatformFeature.ReplayAction || interaction.Value is not { Length: > 0 } key)
        {
            return Task.FromResult(Reply.Private(Md.Text($"That button is not supported.")));
        }

        return Task.FromResult(outbox.Replay(key)
            ? Reply.Private(Md.Text($"Queued `{key}` again; it goes out with the next delivery."))
            : Reply.Private(Md.Text($"`{key}` is not a dead letter (any more).")));
    }

    private Reply Outbox()
    {
        var dead = outbox.DeadLetters();
        var pending = outbox.Count(OutboxStatus.Pending);
        if (dead.Count == 0)
        {
            return Reply.Private(Md.Text($"The outbox has no dead letters. {pending} message(s) waiting for delivery."));
        }

        var blocks = ImmutableArray.CreateBuilder<Block>();
        blocks.Add(new HeaderBlock(Md.Text($"Outbox: {dead.Count} dead letter(s), {pending} pending")));
        foreach (var row in dead)
        {
            blocks.Add(new SectionBlock(
                Md.Text($"`{row.Key}`\n{row.Preview}"),
                [new Field("Attempts", Md.Text($"{row.Attempts}")), new Field("Last error", RichText.User(row.LastError ?? "unknown"))]));
            blocks.Add(new ActionsBlock([new Button(PlatformFeature.ReplayAction, "Replay", row.Key, ButtonStyle.Primary)]));
        }

        return new Reply { Blocks = blocks.ToImmutable(), Visibility = ReplyVisibility.OnlyRequester };
    }
}
