using LiteDB;
using PlatformBot.Storage;

namespace PlatformBot.Features.Knowledge;

/// <summary>The questions the knowledge base was asked and their outcomes.</summary>
internal interface IKnowledgeStore
{
    void Add(KnowledgeQuestion question);

    KnowledgeQuestion? Find(string id);

    void Update(KnowledgeQuestion question);

    /// <summary>Questions asked in <c>[from, to)</c>.</summary>
    IReadOnlyList<KnowledgeQuestion> AskedBetween(DateTime from, DateTime to);

    /// <summary>The questions that were turned into this ticket.</summary>
    IReadOnlyList<KnowledgeQuestion> WithTicket(string ticketId);

    /// <summary>The asker's most recent questions since <paramref name="since"/>, newest first.</summary>
    IReadOnlyList<KnowledgeQuestion> AskedBy(string askerKey, DateTime since);
}

internal sealed class LiteDbKnowledgeStore : IKnowledgeStore
{
    private readonly ILiteCollection<KnowledgeQuestion> _questions;

    // Who has ever asked: every ticket filed asks for its requester's questions, and most requesters never asked one.
    private readonly KeyFilter _askers;

    public LiteDbKnowledgeStore(PlatformDatabase database)
    {
        _questions = database.Collection<KnowledgeQuestion>("kb_questions");
        _questions.EnsureIndex(q => q.AskedAt);
        _questions.EnsureIndex(q => q.AskerKey);
        _questions.EnsureIndex(q => q.TicketId);
        _askers = KeyFilter.Of(_questions, nameof(KnowledgeQuestion.AskerKey));
    }

    public void Add(KnowledgeQuestion question)
    {
        _questions.Insert(question);
        _askers.Add(question.AskerKey);
    }

    public KnowledgeQuestion? Find(string id) => _questions.ById(id);

    public void Update(KnowledgeQuestion question)
    {
        _questions.Update(question);
        _askers.Add(question.AskerKey);
    }

    public IReadOnlyList<KnowledgeQuestion> AskedBetween(DateTime from, DateTime to) =>
        [.. _questions.Find(Filter.Range(nameof(KnowledgeQuestion.AskedAt), from, to))];

    public IReadOnlyList<KnowledgeQuestion> WithTicket(string ticketId) => [.. _questions.Find(q => q.TicketId == ticketId)];

    // The asker's index only, then the time in memory: this runs for every ticket filed, a LINQ predicate is translated
    // afresh on each call, and LiteDB plans Query.And(EQ, GTE) as a walk of the whole time index.
    public IReadOnlyList<KnowledgeQuestion> AskedBy(string askerKey, DateTime since)
    {
        if (!_askers.MayContain(askerKey))
        {
            return [];
        }

        var sinceUtc = since.ToUniversalTime();
        return [.. _questions.Find(Filter.Eq("$." + nameof(KnowledgeQuestion.AskerKey), askerKey)).Where(q => q.AskedAt.ToUniversalTime() >= sinceUtc).OrderByDescending(q => q.AskedAt)];
    }
}
