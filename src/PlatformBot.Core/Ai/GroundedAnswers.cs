using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PlatformBot.Ai;

/// <summary>A numbered source an answer may cite.</summary>
public sealed record GroundingSource(int Number, string Title, string Heading, string Text);

/// <summary>The model's short answer; <see cref="Known"/> is false when it said the sources do not cover the question.</summary>
public sealed record GroundedAnswer(string Text, bool Known);

/// <summary>
/// Writes a short answer grounded only in the sections the search found, each claim citing its section as [n], and
/// "I don't know" when they do not cover the question. Without an <see cref="IChatClient"/> (AI:Provider=none) it does
/// nothing and touches no network.
/// </summary>
public sealed partial class GroundedAnswers(IOptions<AiOptions> options, ILogger<GroundedAnswers> logger, IChatClient? chat = null)
{
    public const string DontKnow = "I don't know";

    /// <summary>Characters of each section given to the model: enough for an answer, bounded for cost.</summary>
    public const int SourceChars = 1500;

    public static readonly string Instructions = string.Join('\n',
        "You answer developers' questions for a platform team, using ONLY the numbered sources below.",
        "Write at most four short sentences. After every claim, cite the source it comes from as [n].",
        "Do not use anything you know that the sources do not say; do not guess commands, names or links.",
        $"If the sources do not answer the question, reply exactly: {DontKnow}.");

    public bool Available => chat is not null;

    public async Task<GroundedAnswer?> AnswerAsync(string question, IReadOnlyList<GroundingSource> sources, CancellationToken cancellationToken)
    {
        if (chat is null || sources.Count == 0)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            var response = await chat.GetResponseAsync(Prompt(question, sources), new ChatOptions { Temperature = 0 }, timeout.Token);
            var text = response.Text.Trim();
            if (text.Length == 0)
            {
                return null;
            }

            var known = !text.StartsWith(DontKnow, StringComparison.OrdinalIgnoreCase);
            if (known && !CitesOnly(text, sources.Count))
            {
                // An answer that cites nothing, or a source it was not given, is not grounded: the articles speak alone.
                LogUncited();
                return null;
            }

            return new GroundedAnswer(known ? text : DontKnow + ".", known);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(options.Value.Timeout);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the AI client throws (an AggregateException around the provider's ClientResultException on a
            // refused connection, 429 or 5xx; a parse error), the person still gets the articles.
            LogFailed(ex);
            return null;
        }
    }

    /// <summary>True when the text cites at least one source, and only sources 1..<paramref name="count"/>.</summary>
    public static bool CitesOnly(string text, int count)
    {
        var cited = Citation().Matches(text).Select(m => int.TryParse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
        return cited.Count > 0 && cited.All(n => n >= 1 && n <= count);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial System.Text.RegularExpressions.Regex Citation();

    /// <summary>The conversation sent to the model: the instructions, then the sources and the question (as data, not instructions).</summary>
    public static IList<ChatMessage> Prompt(string question, IReadOnlyList<GroundingSource> sources)
    {
        var user = new StringBuilder();
        foreach (var source in sources)
        {
            var text = source.Text.Length > SourceChars ? source.Text[..SourceChars] + " …" : source.Text;
            user.Append(CultureInfo.InvariantCulture, $"[{source.Number}] {source.Title} — {source.Heading}\n{text}\n\n");
        }

        user.Append("Question: ").Append(question);
        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, user.ToString())];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The grounded answer took longer than {Timeout}; answered with the articles alone")]
    private partial void LogTimedOut(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The grounded answer failed; answered with the articles alone")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model's answer cited no source, or one it was not given; answered with the articles alone")]
    private partial void LogUncited();
}
