using PlatformBot.Conversations;

namespace PlatformBot.Features.Platform;

/// <summary>A verb a feature adds to <c>/platform</c> (admins only), such as <c>/platform kb stale</c>.</summary>
public interface IPlatformVerb
{
    /// <summary>The first word after <c>/platform</c> (<c>kb</c>).</summary>
    string Verb { get; }

    /// <summary>One usage line in the Markdown subset, for <c>/platform</c> without a known verb.</summary>
    string Usage { get; }

    /// <param name="rest">Everything after the verb, trimmed.</param>
    Task<Reply> HandleAsync(IncomingCommand command, string rest, CancellationToken cancellationToken);
}
