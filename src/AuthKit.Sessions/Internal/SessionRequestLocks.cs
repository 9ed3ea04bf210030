using System.Collections.Concurrent;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// In-process, per-session async locks (<see cref="SessionAuthenticationOptions.SerializeRequests"/>): one ref-counted
/// <see cref="SemaphoreSlim"/> per session key with a holder or waiters, removed when the last one leaves (bounded memory).
/// </summary>
internal sealed class SessionRequestLocks
{
    private readonly ConcurrentDictionary<SessionKey, Entry> _entries = new();

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
            var entry = _entries.GetOrAdd(key, static _ => new Entry());
            lock (entry)
            {
                if (!entry.Removed)
                {
                    entry.References++;
                    return entry;
                }
            }

            // Removed between GetOrAdd and the lock: its last user left; take (or add) the current entry.
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

        _entries.TryRemove(new KeyValuePair<SessionKey, Entry>(key, entry));
    }

    internal sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int References;
        public bool Removed;
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
