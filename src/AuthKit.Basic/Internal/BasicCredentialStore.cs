using System.Collections.Concurrent;

namespace AuthKit.Basic.Internal;

/// <summary>
/// One scheme's verified credentials in memory. Lookups are lock-free; <see cref="BasicCredentialCache"/> serializes writes and
/// invalidations under one lock.
/// </summary>
internal sealed class BasicCredentialStore
{
    private readonly ConcurrentDictionary<BasicCredentialCacheKey, BasicCredentialCacheEntry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The keys held, for tests that check what the cache stores.</summary>
    internal ICollection<BasicCredentialCacheKey> Keys => _entries.Keys;

    public BasicCredentialCacheEntry? Get(in BasicCredentialCacheKey key, long nowTicks)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt.UtcTicks > nowTicks)
            {
                return entry;
            }

            _entries.TryRemove(new KeyValuePair<BasicCredentialCacheKey, BasicCredentialCacheEntry>(key, entry));
        }

        return null;
    }

    public void Add(in BasicCredentialCacheKey key, BasicCredentialCacheEntry entry, long nowTicks, int capacity)
    {
        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            MakeRoom(nowTicks, capacity);
        }

        _entries[key] = entry;
    }

    public int InvalidateUser(string userName)
    {
        var removed = 0;
        foreach (var pair in _entries)
        {
            if (string.Equals(pair.Value.UserName, userName, StringComparison.OrdinalIgnoreCase) && _entries.TryRemove(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    public void Clear() => _entries.Clear();

    private void MakeRoom(long nowTicks, int capacity)
    {
        KeyValuePair<BasicCredentialCacheKey, BasicCredentialCacheEntry>? soonest = null;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAt.UtcTicks <= nowTicks)
            {
                _entries.TryRemove(pair);
            }
            else if (soonest is null || pair.Value.ExpiresAt < soonest.Value.Value.ExpiresAt)
            {
                soonest = pair;
            }
        }

        if (_entries.Count >= capacity && soonest is { } victim)
        {
            _entries.TryRemove(victim);
        }
    }
}
