namespace PlatformBot.Storage;

/// <summary>
/// A secondary index kept in memory instead of in LiteDB: values (document ids) by the hash of a string key that the
/// documents themselves hold. A LiteDB index on a key that arrives in no particular order (an idempotency key, a Teams
/// message id) costs each insert a skip-list walk over pages scattered through the file, each copied, logged and
/// checkpointed: that was a tenth to a fifth of the CPU per Teams message. A hash only names candidates: the caller
/// reads each document and compares its key. Hashes that collide keep every value. About 30 bytes per key.
/// </summary>
internal sealed class HashedKeys<T>
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, T> _one = [];

    // Only for hashes that two keys share (or one key with several values).
    private readonly Dictionary<int, List<T>> _many = [];

    /// <summary>Adds the pair; false when it was there already.</summary>
    public bool Add(string key, T value)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            if (_many.TryGetValue(hash, out var values))
            {
                if (values.Contains(value))
                {
                    return false;
                }

                values.Add(value);
            }
            else if (!_one.TryGetValue(hash, out var held))
            {
                _one[hash] = value;
            }
            else if (EqualityComparer<T>.Default.Equals(held, value))
            {
                return false;
            }
            else
            {
                _one.Remove(hash);
                _many[hash] = [held, value];
            }

            return true;
        }
    }

    /// <summary>Forgets the pair (the write that added it rolled back).</summary>
    public void Remove(string key, T value)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            if (_many.TryGetValue(hash, out var values))
            {
                values.Remove(value);
                if (values.Count == 1)
                {
                    _many.Remove(hash);
                    _one[hash] = values[0];
                }
            }
            else if (_one.TryGetValue(hash, out var held) && EqualityComparer<T>.Default.Equals(held, value))
            {
                _one.Remove(hash);
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

    /// <summary>
    /// Adds the pair now, for reads inside the open transaction, and forgets it if that transaction rolls back, unless it
    /// was there before.
    /// </summary>
    public void AddInTransaction(string key, T value)
    {
        if (Add(key, value))
        {
            PlatformDatabase.OnRollback(() => Remove(key, value));
        }
    }

    private static int Hash(string key) => StringComparer.Ordinal.GetHashCode(key);
}
