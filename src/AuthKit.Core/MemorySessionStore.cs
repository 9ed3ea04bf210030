using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AuthKit.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit;

/// <summary>
/// The embedded default <see cref="ISessionStore"/>: records in this process's memory.
/// </summary>
/// <remarks>
/// Atomic compare-and-set, an exact per-user index, expiry enforced on read and swept in the background,
/// and a cap on the number of records (<see cref="MemorySessionStoreOptions.MaxRecords"/>) so memory stays bounded.
/// Sessions are lost on restart and are not shared with other instances: behind a load balancer use a shared store.
/// </remarks>
public sealed class MemorySessionStore : ISessionStore, IDisposable
{
    private const string StoreName = "memory";

    private readonly ConcurrentDictionary<SessionKey, Entry> _records = new();
    private readonly ConcurrentDictionary<string, UserIndex> _users = new(StringComparer.Ordinal);
    private readonly MemorySessionStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweepTimer;
    private int _count;
    private long _lastEmergencySweepTicks;

    /// <summary>Creates a store that does not log.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="MemorySessionStoreOptions"/>).</exception>
    public MemorySessionStore(IOptions<MemorySessionStoreOptions> options, TimeProvider timeProvider)
        : this(options, timeProvider, NullLogger<MemorySessionStore>.Instance)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="MemorySessionStoreOptions"/>).</exception>
    public MemorySessionStore(IOptions<MemorySessionStoreOptions> options, TimeProvider timeProvider, ILogger<MemorySessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        MemorySessionStoreOptionsValidator.ThrowIfInvalid(_options);
        _time = timeProvider;
        _logger = logger;
        _sweepTimer = _time.CreateTimer(static s => ((MemorySessionStore)s!).SweepFromTimer(), this, _options.SweepInterval, _options.SweepInterval);
    }

    /// <inheritdoc />
    public StoreCapabilities Capabilities => StoreCapabilities.AtomicUpdate | StoreCapabilities.ExactUserIndex;

    /// <summary>The number of records held, live or not yet swept.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_records.TryGetValue(key, out var entry) && !entry.Record.IsExpired(_time.GetUtcNow()))
        {
            return new ValueTask<SessionRecord?>(entry.Record);
        }

        return new ValueTask<SessionRecord?>((SessionRecord?)null);
    }

    /// <inheritdoc />
    public ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        EnsureCapacity(now);
        var entry = new Entry(Normalize(record, version: 1));
        if (record.UserId is null)
        {
            return new ValueTask<bool>(TryInsert(entry, now));
        }

        while (true)
        {
            var index = _users.GetOrAdd(record.UserId, static _ => new UserIndex());
            lock (index)
            {
                if (index.Dead)
                {
                    continue;
                }

                if (!TryInsert(entry, now))
                {
                    return new ValueTask<bool>(false);
                }

                index.Keys.Add(record.Key);
                return new ValueTask<bool>(true);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        if (!_records.TryGetValue(record.Key, out var current) || current.Record.IsExpired(now) || current.Record.Version != expectedVersion)
        {
            return new ValueTask<bool>(false);
        }

        var replacement = new Entry(Normalize(record, expectedVersion + 1));
        var oldUser = current.Record.UserId;
        var newUser = record.UserId;
        if (string.Equals(oldUser, newUser, StringComparison.Ordinal))
        {
            return new ValueTask<bool>(_records.TryUpdate(record.Key, replacement, current));
        }

        var updated = false;
        if (newUser is null)
        {
            updated = _records.TryUpdate(record.Key, replacement, current);
        }
        else
        {
            while (true)
            {
                var index = _users.GetOrAdd(newUser, static _ => new UserIndex());
                lock (index)
                {
                    if (index.Dead)
                    {
                        continue;
                    }

                    updated = _records.TryUpdate(record.Key, replacement, current);
                    if (updated)
                    {
                        index.Keys.Add(record.Key);
                    }

                    break;
                }
            }
        }

        if (updated && oldUser is not null)
        {
            RemoveFromIndex(oldUser, record.Key);
        }

        return new ValueTask<bool>(updated);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_records.TryRemove(key, out var entry))
        {
            return new ValueTask<bool>(false);
        }

        Interlocked.Decrement(ref _count);
        if (entry.Record.UserId is { } user)
        {
            RemoveFromIndex(user, key);
        }

        return new ValueTask<bool>(!entry.Record.IsExpired(_time.GetUtcNow()));
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_users.TryGetValue(userId, out var index))
        {
            return new ValueTask<int>(0);
        }

        var now = _time.GetUtcNow();
        var removed = 0;
        lock (index)
        {
            foreach (var key in index.Keys)
            {
                if (TryRemoveUsersRecord(key, userId, out var entry))
                {
                    Interlocked.Decrement(ref _count);
                    if (!entry.Record.IsExpired(now))
                    {
                        removed++;
                    }
                }
            }

            index.Keys.Clear();
            index.Dead = true;
            _users.TryRemove(new KeyValuePair<string, UserIndex>(userId, index));
        }

        return new ValueTask<int>(removed);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_users.TryGetValue(userId, out var index))
        {
            yield break;
        }

        SessionKey[] keys;
        lock (index)
        {
            keys = [.. index.Keys];
        }

        var now = _time.GetUtcNow();
        List<SessionKey>? stale = null;
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_records.TryGetValue(key, out var entry)
                && string.Equals(entry.Record.UserId, userId, StringComparison.Ordinal)
                && !entry.Record.IsExpired(now))
            {
                yield return entry.Record;
            }
            else
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                if (_records.TryGetValue(key, out var entry) && entry.Record.IsExpired(now) && _records.TryRemove(new KeyValuePair<SessionKey, Entry>(key, entry)))
                {
                    Interlocked.Decrement(ref _count);
                }

                RemoveFromIndexUnlessOwned(userId, key);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Removes every expired record now (a timer also does it every <see cref="MemorySessionStoreOptions.SweepInterval"/>).
    /// </summary>
    /// <returns>The number of records removed.</returns>
    public ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Sweep());
    }

    private int Sweep()
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var pair in _records)
        {
            if (pair.Value.Record.IsExpired(now) && _records.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
                removed++;
                if (pair.Value.Record.UserId is { } user)
                {
                    RemoveFromIndex(user, pair.Key);
                }
            }
        }

        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _sweepTimer.Dispose();

    /// <summary>Every record held, expired or not (tests inspect what the store keeps).</summary>
    internal IEnumerable<SessionRecord> Snapshot() => _records.Values.Select(e => e.Record);

    // The record's maps are immutable copies already (SessionRecord copies them when set): nothing to copy here.
    // Records are immutable: one that already carries the version is kept as it is (the session scheme's commit passes it so), not copied.
    private static SessionRecord Normalize(SessionRecord record, long version) => record.Version == version ? record : record with { Version = version };

    private bool TryInsert(Entry entry, DateTimeOffset now)
    {
        var key = entry.Record.Key;
        while (true)
        {
            if (_records.TryAdd(key, entry))
            {
                Interlocked.Increment(ref _count);
                return true;
            }

            if (!_records.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (!existing.Record.IsExpired(now))
            {
                return false;
            }

            if (_records.TryUpdate(key, entry, existing))
            {
                return true;
            }
        }
    }

    private void EnsureCapacity(DateTimeOffset now)
    {
        if (Volatile.Read(ref _count) < _options.MaxRecords)
        {
            return;
        }

        // At the cap, a sweep may free room; at most one emergency sweep per second so a full store cannot be made to scan on every request.
        var last = Interlocked.Read(ref _lastEmergencySweepTicks);
        if (now.UtcTicks - last >= TimeSpan.TicksPerSecond && Interlocked.CompareExchange(ref _lastEmergencySweepTicks, now.UtcTicks, last) == last)
        {
            Sweep();
        }

        if (Volatile.Read(ref _count) >= _options.MaxRecords)
        {
            _logger.MemoryStoreFull(_options.MaxRecords);
            throw new SessionStoreFullException($"The memory session store holds its maximum of {_options.MaxRecords} records (MemorySessionStoreOptions.MaxRecords).");
        }
    }

    /// <summary>
    /// Removes the record under <paramref name="key"/> if it belongs to <paramref name="userId"/>, whatever update replaces it
    /// meanwhile; the caller holds the user's index lock, so the record cannot move to this user while it looks.
    /// </summary>
    private bool TryRemoveUsersRecord(SessionKey key, string userId, out Entry entry)
    {
        // An update swaps the entry without the index lock when the user stays the same: a failed conditional removal means
        // "replaced", never "gone", so look again instead of leaving the replacement behind.
        while (_records.TryGetValue(key, out entry!))
        {
            if (!string.Equals(entry.Record.UserId, userId, StringComparison.Ordinal))
            {
                return false;
            }

            if (_records.TryRemove(new KeyValuePair<SessionKey, Entry>(key, entry)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops an index entry whose record is gone or belongs to someone else, checking again under the index lock.</summary>
    private void RemoveFromIndexUnlessOwned(string userId, SessionKey key)
    {
        if (!_users.TryGetValue(userId, out var index))
        {
            return;
        }

        lock (index)
        {
            // An update that gives the record (back) to this user adds it to the index under this lock after replacing it,
            // so what is read here cannot be undone by that update.
            if (index.Dead || (_records.TryGetValue(key, out var entry) && string.Equals(entry.Record.UserId, userId, StringComparison.Ordinal)))
            {
                return;
            }

            index.Keys.Remove(key);
            if (index.Keys.Count == 0)
            {
                index.Dead = true;
                _users.TryRemove(new KeyValuePair<string, UserIndex>(userId, index));
            }
        }
    }

    private void RemoveFromIndex(string userId, SessionKey key)
    {
        if (!_users.TryGetValue(userId, out var index))
        {
            return;
        }

        lock (index)
        {
            if (index.Dead)
            {
                return;
            }

            index.Keys.Remove(key);
            if (index.Keys.Count == 0)
            {
                index.Dead = true;
                _users.TryRemove(new KeyValuePair<string, UserIndex>(userId, index));
            }
        }
    }

    private void SweepFromTimer()
    {
        try
        {
            var removed = Sweep();
            if (removed > 0)
            {
                _logger.MemoryStoreSwept(removed);
            }
        }
        catch (Exception ex)
        {
            _logger.MemoryStoreSweepFailed(ex);
        }
    }

    private sealed class Entry(SessionRecord record)
    {
        public SessionRecord Record { get; } = record;
    }

    private sealed class UserIndex
    {
        public HashSet<SessionKey> Keys { get; } = [];

        public bool Dead { get; set; }
    }
}
