using System.Collections.Concurrent;
using System.Security.Claims;

namespace AuthKit.Basic;

/// <summary>
/// One scheme's verified credentials: HMAC key → (user-id, principal, expiry). Lookups are lock-free; writes (one per slow validation)
/// and invalidations take a lock so an invalidation can never be undone by a validation that started before it.
/// </summary>
internal sealed class BasicCredentialStore
{
    private readonly ConcurrentDictionary<CredentialCacheKey, Entry> _entries = new();
    private readonly Lock _writeLock = new();
    private long _epoch;

    public int Count => _entries.Count;

    /// <summary>Read before validating; <see cref="Add"/> refuses the entry if an invalidation happened since.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public bool TryGet(in CredentialCacheKey key, long nowTicks, out ClaimsPrincipal? principal)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > nowTicks)
            {
                principal = entry.Principal;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<CredentialCacheKey, Entry>(key, entry));
        }

        principal = null;
        return false;
    }

    public bool Add(in CredentialCacheKey key, string userName, ClaimsPrincipal principal, long nowTicks, long expiresAt, int capacity, long epochAtStart)
    {
        lock (_writeLock)
        {
            if (_epoch != epochAtStart)
            {
                return false;
            }

            if (_entries.Count >= capacity && !_entries.ContainsKey(key))
            {
                MakeRoom(nowTicks, capacity);
            }

            _entries[key] = new Entry(userName, principal, expiresAt);
            return true;
        }
    }

    public int InvalidateUser(string userName)
    {
        lock (_writeLock)
        {
            _epoch++;
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
    }

    public void Clear()
    {
        lock (_writeLock)
        {
            _epoch++;
            _entries.Clear();
        }
    }

    /// <summary>The keys held, for tests that check what the cache stores.</summary>
    internal IEnumerable<CredentialCacheKey> Keys => _entries.Keys;

    private void MakeRoom(long nowTicks, int capacity)
    {
        KeyValuePair<CredentialCacheKey, Entry>? soonest = null;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAt <= nowTicks)
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

    private sealed record Entry(string UserName, ClaimsPrincipal Principal, long ExpiresAt);
}
