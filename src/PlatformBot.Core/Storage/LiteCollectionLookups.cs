using LiteDB;

namespace PlatformBot.Storage;

/// <summary>Reads by primary key without parsing an expression per call.</summary>
internal static class LiteCollectionLookups
{
    // LiteDB's FindById parses "_id = @0" afresh on every call (a tokenizer, a parse tree and five LINQ parameter
    // expressions): about a tenth of a Slack /ticket's CPU went there. The parsed expression is kept per thread and only
    // its parameter changes; the query is read to its end before this returns, so nothing else on the thread sees it.
    [ThreadStatic]
    private static BsonExpression? t_byId;

    /// <summary>The document with this <c>_id</c>, or null: <c>FindById</c>, faster.</summary>
    public static T? ById<T>(this ILiteCollection<T> collection, BsonValue id)
    {
        var byId = t_byId ??= BsonExpression.Create("_id = @0", BsonValue.Null);
        byId.Parameters["0"] = id;
        try
        {
            return collection.Find(byId).FirstOrDefault();
        }
        finally
        {
            byId.Parameters["0"] = BsonValue.Null;
        }
    }
}
