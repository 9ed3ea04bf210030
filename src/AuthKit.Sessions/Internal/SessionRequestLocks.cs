using System.Collections.Concurrent;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// In-process, per-session async locks (<see cref="SessionAuthenticationOptions.SerializeRequests"/>): one ref-counted
/// <see cref="SemaphoreSlim"/> per session key with a holder or waiters, removed when the last one leaves (bounded memory).
/// Removed entries go back to a small pool with their semaphore, so a request does not allocate a lock of its own.
/// </summary>
internal sealed class SessionRequestLocks
{
    private const int PoolSize = 64;

    private readonly ConcurrentDictionary<SessionKey, Entry> _entries = new();
    private readonly Entry?[] _pool = new Entry?[PoolSize];
    private int _pooled;

    /// <summary>The number of sessions with a holder or waiters (tests).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Waits for the session's lock without blocking a thread. Returns the held lock, or <see langword="null"/> when
    /// <paramref name="timeout"/> fired first; throws <see cref="OperationCanceledException"/> when <paramref name="aborted"/> fired.
    /// </summary>
    public async ValueTask<Holder?> AcquireAsync(SessionKey key, CancellationToken timeout, CancellationToken aborted)
    {
        var entry = Enter(key);
        try
        {
            // Fast path: a free lock is taken without a linked token source (WaitAsync(0) never waits).
            if (!await entry.Semaphore.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
            {
                using var linked = aborted.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(timeout, aborted) : null;
                try
                {
                    // On cancellation SemaphoreSlim guarantees the count was not taken.
                    await entry.Semaphore.WaitAsync(linked?.Token ?? timeout).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    Leave(key, entry);
                    return null;
                }
            }
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Holder(this, key, entry);
    }

    private Entry Enter(SessionKey key)
    {
        while (true)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                lock (entry)
                {
                    // A pooled or reused entry says so: Removed while it is out of the map, another Key once reused.
                    if (!entry.Removed && entry.Key.Equals(key))
                    {
                        entry.References++;
                        return entry;
                    }
                }

                // Removed between the lookup and the lock: its last user left; take (or add) the current entry.
                continue;
            }

            var fresh = Rent(key);
            lock (fresh)
            {
                // Published under its lock: a request that finds it in the map waits here until it is live.
                if (_entries.TryAdd(key, fresh))
                {
                    fresh.Removed = false;
                    fresh.References = 1;
                    return fresh;
                }
            }

            Return(fresh);
        }
    }

    private void Leave(SessionKey key, Entry entry)
    {
        lock (entry)
        {
            if (--entry.References > 0)
            {
                return;
            }

            entry.Removed = true;
        }

        if (_entries.TryRemove(new KeyValuePair<SessionKey, Entry>(key, entry)))
        {
            Return(entry);
        }
    }

    private Entry Rent(SessionKey key)
    {
        Entry? entry = null;
        lock (_pool)
        {
            if (_pooled > 0)
            {
                entry = _pool[--_pooled];
                _pool[_pooled] = null;
            }
        }

        entry ??= new Entry();
        entry.Key = key;
        return entry;
    }

    private void Return(Entry entry)
    {
        // Only a free semaphore with nobody left on it is reused (References 0, Removed, out of the map).
        if (entry.Semaphore.CurrentCount != 1)
        {
            return;
        }

        lock (_pool)
        {
            if (_pooled < PoolSize)
            {
                _pool[_pooled++] = entry;
            }
        }
    }

    internal sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public SessionKey Key;
        public int References;
        public bool Removed = true;
    }

    /// <summary>A held lock; <see cref="Release"/> is idempotent (the middleware's finally, the response start, the request's end).</summary>
    internal sealed class Holder : IDisposable
    {
        private readonly SessionRequestLocks _owner;
        private readonly SessionKey _key;
        private Entry? _entry;

        public Holder(SessionRequestLocks owner, SessionKey key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _entry, null) is { } entry)
            {
                entry.Semaphore.Release();
                _owner.Leave(_key, entry);
            }
        }

        public void Dispose() => Release();
    }
}
