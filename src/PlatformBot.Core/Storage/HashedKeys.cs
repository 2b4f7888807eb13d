namespace PlatformBot.Storage;

/// <summary>
/// A secondary index kept in memory instead of in LiteDB: values (document ids) by the hash of a string key that the
/// documents themselves hold. A LiteDB index on a key that arrives in no particular order (an idempotency key, a Teams
/// message id) costs each insert a skip-list walk over pages scattered through the file, each copied, logged and
/// checkpointed: that was a tenth to a fifth of the CPU per Teams message. A hash only names candidates: the caller
/// reads each document and compares its key. Hashes that collide keep every value. About 30 bytes per key.
/// Pairs are added as soon as the write is made (a later write in the same transaction must find it) and are not taken
/// back when that transaction rolls back: a pair whose document is not there, or holds another key, fails the caller's
/// check and costs only a lookup. Taking pairs back went wrong when part of a failed batch had committed after all.
/// </summary>
internal sealed class HashedKeys<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, T> _one = [];

    // Only for hashes that two keys share (or one key with several values).
    private readonly Dictionary<int, List<T>> _many = [];

    public void Add(string key, T value)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            if (_many.TryGetValue(hash, out var values))
            {
                if (!values.Contains(value))
                {
                    values.Add(value);
                }
            }
            else if (!_one.TryGetValue(hash, out var held))
            {
                _one[hash] = value;
            }
            else if (!EqualityComparer<T>.Default.Equals(held, value))
            {
                _one.Remove(hash);
                _many[hash] = [held, value];
            }
        }
    }

    /// <summary>The values that may belong to the key, oldest first: none for nearly every new key.</summary>
    public IReadOnlyList<T> Candidates(string key)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            return _many.TryGetValue(hash, out var values) ? [.. values] : _one.TryGetValue(hash, out var held) ? [held] : [];
        }
    }

    private static int Hash(string key) => StringComparer.Ordinal.GetHashCode(key);
}
