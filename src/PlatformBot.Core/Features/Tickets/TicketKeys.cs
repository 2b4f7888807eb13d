namespace PlatformBot.Features.Tickets;

/// <summary>
/// Which ticket was filed with an idempotency key, kept in memory by the key's hash (the key itself is in the ticket's
/// document): nearly every filing has a new key, and a LiteDB index or collection of keys cost each one a skip-list
/// insert and a page written, about a tenth of the CPU per Teams message. A hash only names candidates; the caller reads
/// the ticket and compares its key. Hashes that collide keep every id. About 40 bytes per key.
/// </summary>
internal sealed class TicketKeys
{
    private readonly Lock _lock = new();

    // The id (string), or the ids (List<string>) when two keys share a hash.
    private readonly Dictionary<int, object> _ids = [];

    public void Add(string key, string ticketId)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            if (!_ids.TryGetValue(hash, out var held))
            {
                _ids[hash] = ticketId;
            }
            else if (held is List<string> many)
            {
                if (!many.Contains(ticketId))
                {
                    many.Add(ticketId);
                }
            }
            else if ((string)held != ticketId)
            {
                _ids[hash] = new List<string> { (string)held, ticketId };
            }
        }
    }

    /// <summary>Forgets the pair (a filing rolled back).</summary>
    public void Remove(string key, string ticketId)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            if (!_ids.TryGetValue(hash, out var held))
            {
                return;
            }

            if (held is List<string> many)
            {
                many.Remove(ticketId);
                if (many.Count == 1)
                {
                    _ids[hash] = many[0];
                }
            }
            else if ((string)held == ticketId)
            {
                _ids.Remove(hash);
            }
        }
    }

    /// <summary>The tickets that may hold the key: none for nearly every new key.</summary>
    public IReadOnlyList<string> Candidates(string key)
    {
        var hash = Hash(key);
        lock (_lock)
        {
            return !_ids.TryGetValue(hash, out var held) ? [] : held is List<string> many ? [.. many] : [(string)held];
        }
    }

    private static int Hash(string key) => StringComparer.Ordinal.GetHashCode(key);
}
