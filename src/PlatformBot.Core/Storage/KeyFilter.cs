using LiteDB;

namespace PlatformBot.Storage;

/// <summary>
/// The hashes of the values a collection holds in one field (its ids, or an indexed key), read once and kept in memory, so
/// that a value the collection certainly does not hold (a new idempotency key: nearly every request) is answered without
/// a lookup. A hash that is present only says "maybe": the caller then reads the collection. Values must be added here
/// when they are written; one added by a write that later rolls back only costs a lookup. About 12 bytes per value.
/// The collection is read when the filter is made (its owner's construction, at start), not by the first request.
/// </summary>
internal sealed class KeyFilter
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _hashes;

    private KeyFilter(IEnumerable<string> values) => _hashes = [.. values.Select(Hash)];

    /// <summary>A filter over the string values of <paramref name="field"/> (<c>_id</c>, or a top-level field) in the collection.</summary>
    public static KeyFilter Of<T>(ILiteCollection<T> collection, string field) =>
        new(collection.Query()
            .Select(BsonExpression.Create($"{{ k: $.{field} }}"))
            .ToDocuments()
            .Select(d => d["k"])
            .Where(k => k.IsString)
            .Select(k => k.AsString));

    public bool MayContain(string value)
    {
        var hash = Hash(value);
        lock (_lock)
        {
            return _hashes.Contains(hash);
        }
    }

    public void Add(string value)
    {
        var hash = Hash(value);
        lock (_lock)
        {
            _hashes.Add(hash);
        }
    }

    private static int Hash(string value) => StringComparer.Ordinal.GetHashCode(value);
}
