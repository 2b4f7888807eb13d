namespace PlatformBot.Features.Knowledge;

/// <summary>
/// How well the knowledge base serves people, for the App Home and the dashboard. Self-service success is counted
/// honestly: a question is solved when its asker clicked "This solved it", or filed no ticket on it within
/// <c>Knowledge:SolvedWindow</c> after an answer. A question with no answer, or turned into a ticket (or marked
/// "Not quite"), never counts; one still inside its window is pending and left out of the rate until it is decided.
/// </summary>
public interface IKnowledgeInsights
{
    SelfServiceReport SelfService(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The articles offered most in the period, with the votes and tickets that followed them.</summary>
    IReadOnlyList<ArticleUsage> Articles(DateTimeOffset from, DateTimeOffset to, int count = 10);

    /// <summary>A ticket was filed by <paramref name="requesterKey"/>: their open answered questions of the last
    /// solved-window count as not solved by the docs (the Tickets feature's <c>TicketCreated</c> calls this). Only the
    /// question it was filed from (<paramref name="fromQuestion"/>: its "Not quite" form) is linked to the ticket, for the
    /// knowledge-base draft offered when it is resolved; a ticket about something else must not become that question's answer.</summary>
    void TicketFiled(string requesterKey, string ticketId, DateTimeOffset at, string? fromQuestion = null);
}

/// <param name="Asked">Questions asked in the period.</param>
/// <param name="Unanswered">No article was good enough; the bot said so and offered a ticket.</param>
/// <param name="SolvedByClick">The asker clicked "This solved it".</param>
/// <param name="SolvedBySilence">Answered, and no ticket and no "Not quite" within the solved window.</param>
/// <param name="NotSolved">The asker clicked "Not quite" or filed a ticket on it.</param>
/// <param name="Pending">Answered, still inside the solved window, no verdict yet.</param>
public sealed record SelfServiceReport(DateTimeOffset From, DateTimeOffset To, int Asked, int Unanswered, int SolvedByClick, int SolvedBySilence, int NotSolved, int Pending)
{
    public int Solved => SolvedByClick + SolvedBySilence;

    /// <summary>Solved questions among the decided ones (asked minus pending); null when none is decided yet.</summary>
    public double? SuccessRate => Asked - Pending > 0 ? (double)Solved / (Asked - Pending) : null;
}

public sealed record ArticleUsage(string Path, string Title, int Offered, int HelpfulVotes, int FollowedByTicket);
