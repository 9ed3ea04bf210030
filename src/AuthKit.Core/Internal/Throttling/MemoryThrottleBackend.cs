using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal.Throttling;

/// <summary>
/// The throttle's state in process memory: one entry per user name and per client, each behind its own lock. A reservation
/// holds the client's lock, then the user's (always in that order), so check and reserve are one step.
/// </summary>
internal sealed class MemoryThrottleBackend(Func<int> maxEntries, ILogger logger) : IThrottleBackend
{
    private const int MaxRetries = 8;
    private static readonly long PruneInterval = TimeSpan.TicksPerSecond;
    private static readonly long FullWarningInterval = TimeSpan.TicksPerMinute;

    private readonly ConcurrentDictionary<string, Entry<ThrottleUserState>> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<ThrottleClient, Entry<ThrottleCounter>> _clients = new();
    private readonly Lock _pruneLock = new();
    private long _nextFullPrune;
    private long _nextSweep;
    private long _nextFullWarning;

    public int UserCount => _users.Count;

    public int ClientCount => _clients.Count;

    public ValueTask<CredentialThrottleStatus> TryReserveAsync(string userName, ThrottleClient client, long leaseId, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            if (GetOrAdd(_clients, client, static () => new ThrottleCounter(), now, limits, "client addresses") is not { } c)
            {
                return ValueTask.FromResult(Capacity);
            }

            lock (c.Lock)
            {
                if (c.Removed)
                {
                    continue;
                }

                var status = ThrottleRules.DecideClient(c.State, now, limits, reserving: true);
                if (status.IsThrottled)
                {
                    return ValueTask.FromResult(status);
                }

                if (GetOrAdd(_users, userName, static () => new ThrottleUserState(), now, limits, "user names") is not { } u)
                {
                    return ValueTask.FromResult(Capacity);
                }

                lock (u.Lock)
                {
                    if (u.Removed)
                    {
                        continue;
                    }

                    status = ThrottleRules.DecideUser(u.State, client, now, limits, reserving: true);
                    if (status.IsThrottled)
                    {
                        return ValueTask.FromResult(status);
                    }

                    ThrottleRules.ReserveClient(c.State, leaseId, now);
                    ThrottleRules.ReserveUser(u.State, client, leaseId, now, limits);
                    return ValueTask.FromResult(CredentialThrottleStatus.NotThrottled);
                }
            }
        }

        return ValueTask.FromResult(Capacity);
    }

    public ValueTask<CredentialThrottleStatus> CheckAsync(string userName, ThrottleClient client, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        if (_clients.TryGetValue(client, out var c))
        {
            lock (c.Lock)
            {
                var status = ThrottleRules.DecideClient(c.State, now, limits, reserving: false);
                if (status.IsThrottled)
                {
                    return ValueTask.FromResult(status);
                }
            }
        }

        if (_users.TryGetValue(userName, out var u))
        {
            lock (u.Lock)
            {
                var status = ThrottleRules.DecideUser(u.State, client, now, limits, reserving: false);
                if (status.IsThrottled)
                {
                    return ValueTask.FromResult(status);
                }
            }
        }

        return ValueTask.FromResult(CredentialThrottleStatus.NotThrottled);
    }

    public ValueTask CompleteAsync(string userName, ThrottleClient client, long leaseId, ThrottleOutcome outcome, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        var record = outcome != ThrottleOutcome.Abandoned;
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var c = record ? GetOrAdd(_clients, client, static () => new ThrottleCounter(), now, limits, "client addresses") : Find(_clients, client);
            if (c is not null)
            {
                lock (c.Lock)
                {
                    if (c.Removed)
                    {
                        continue;
                    }

                    ThrottleRules.CompleteClient(c.State, leaseId, outcome, now, limits);
                }
            }

            break;
        }

        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var u = record ? GetOrAdd(_users, userName, static () => new ThrottleUserState(), now, limits, "user names") : Find(_users, userName);
            if (u is not null)
            {
                lock (u.Lock)
                {
                    if (u.Removed)
                    {
                        continue;
                    }

                    ThrottleRules.CompleteUser(u.State, client, leaseId, outcome, now, limits);
                }
            }

            break;
        }

        return ValueTask.CompletedTask;
    }

    private static CredentialThrottleStatus Capacity => new(CredentialThrottleLimit.Capacity, TimeSpan.FromSeconds(1));

    private static Entry<T>? Find<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> table, TKey key)
        where TKey : notnull
        where T : class =>
        table.TryGetValue(key, out var entry) ? entry : null;

    private Entry<T>? GetOrAdd<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> table, TKey key, Func<T> create, long now, in ThrottleLimits limits, string what)
        where TKey : notnull
        where T : class
    {
        if (table.TryGetValue(key, out var entry) && !entry.Removed)
        {
            return entry;
        }

        var max = maxEntries();
        if (now >= Volatile.Read(ref _nextSweep) || (table.Count >= max && now >= Volatile.Read(ref _nextFullPrune)))
        {
            Prune(now, limits, max);
        }

        if (table.Count >= max)
        {
            if (now >= Volatile.Read(ref _nextFullWarning))
            {
                Volatile.Write(ref _nextFullWarning, now + FullWarningInterval);
                logger.ThrottleTableFull(what, max);
            }

            return null;
        }

        entry = table.GetOrAdd(key, static (_, create) => new Entry<T>(create()), create);
        if (entry.Removed)
        {
            // A prune removed it between the lookup and now: the caller retries with a fresh entry.
            table.TryRemove(new KeyValuePair<TKey, Entry<T>>(key, entry));
        }

        return entry;
    }

    /// <summary>
    /// Drops entries that hold nothing live; when the user table is still nearly full, also drops users that hold only known
    /// clients (they become strangers again: less protection from lock-out, never more guesses).
    /// </summary>
    private void Prune(long now, in ThrottleLimits limits, int max)
    {
        if (!_pruneLock.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextFullPrune, now + PruneInterval);
            Volatile.Write(ref _nextSweep, now + Math.Max(limits.Window, PruneInterval));
            foreach (var pair in _clients)
            {
                lock (pair.Value.Lock)
                {
                    pair.Value.State.Prune(now, limits.Window);
                    if (pair.Value.State.IsEmpty)
                    {
                        pair.Value.Removed = true;
                        _clients.TryRemove(pair);
                    }
                }
            }

            foreach (var pair in _users)
            {
                lock (pair.Value.Lock)
                {
                    pair.Value.State.Prune(now, limits);
                    if (pair.Value.State.IsEmpty)
                    {
                        pair.Value.Removed = true;
                        _users.TryRemove(pair);
                    }
                }
            }

            var target = max - (max / 10);
            if (_users.Count <= target)
            {
                return;
            }

            foreach (var pair in _users)
            {
                if (_users.Count <= target)
                {
                    break;
                }

                lock (pair.Value.Lock)
                {
                    var state = pair.Value.State;
                    if (state.Name.IsEmpty && state.Known.TrueForAll(k => k.Counter.IsEmpty))
                    {
                        pair.Value.Removed = true;
                        _users.TryRemove(pair);
                    }
                }
            }
        }
        finally
        {
            _pruneLock.Exit();
        }
    }

    private sealed class Entry<T>(T state)
    {
        public Lock Lock { get; } = new();

        public T State { get; } = state;

        public bool Removed { get; set; }
    }
}
