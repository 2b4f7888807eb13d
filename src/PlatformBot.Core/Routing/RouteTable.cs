namespace PlatformBot.Routing;

/// <summary>Every registered route, checked once: names and prefixes must be unique.</summary>
public sealed class RouteTable
{
    public RouteTable(IEnumerable<CommandRoute> commands, IEnumerable<InteractionRoute> interactions, IEnumerable<MessageRoute> messages)
    {
        var commandList = commands.ToList();
        var duplicate = commandList.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"The command '{duplicate.Key}' is registered twice.");
        }

        Commands = commandList.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        Interactions = [.. interactions.OrderByDescending(i => i.Prefix.Length)];
        var clash = Interactions.GroupBy(i => i.Prefix, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException($"The interaction prefix '{clash.Key}' is registered twice.");
        }

        Messages = [.. messages.OrderBy(m => m.Order)];
    }

    public IReadOnlyDictionary<string, CommandRoute> Commands { get; }

    public IReadOnlyList<InteractionRoute> Interactions { get; }

    public IReadOnlyList<MessageRoute> Messages { get; }

    public InteractionRoute? FindInteraction(string actionId) =>
        Interactions.FirstOrDefault(i => actionId.StartsWith(i.Prefix, StringComparison.Ordinal));
}
