using LiteDB;

namespace PlatformBot.Storage;

/// <summary>
/// Indexes that hold only the documents that have a value. LiteDB indexes a missing value as null: one more index node,
/// and its page, for every document inserted (a new ticket has no assignee and no resolution; most cards are not posted
/// in a thread). A multi-key expression that yields nothing adds no node; it is queried with <see cref="Filter.Any"/>.
/// </summary>
internal static class SparseIndex
{
    /// <summary>The values of <paramref name="path"/> that are not null.</summary>
    public static string NonNull(string path) => $"FILTER(ITEMS([{path}]) => @ != null)";

    /// <summary>
    /// Ensures the index named <paramref name="name"/> is <paramref name="expression"/>. An index of that name with another
    /// expression (a database from before the index was sparse) is dropped and built again from the documents.
    /// </summary>
    public static void Ensure(ILiteDatabase database, string collection, string name, string expression)
    {
        var existing = database.GetCollection("$indexes")
            .Find(Filter.Eq("collection", collection))
            .FirstOrDefault(i => i["name"].AsString == name)?["expression"].AsString;
        var target = database.GetCollection(collection);
        if (existing is not null && existing != BsonExpression.Create(expression).Source)
        {
            target.DropIndex(name);
        }

        target.EnsureIndex(name, expression);
    }
}
