using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Sessions.Distributed.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Distributed;

/// <summary>
/// An <see cref="ISessionStore"/> on any <see cref="IDistributedCache"/> (Redis, SQL Server, Postgres, …), shared by every
/// instance that uses the same cache.
/// </summary>
/// <remarks>
/// <para>Records are written with <see cref="SessionRecordSerializer"/> under <c>{KeyPrefix}s:{SessionKey}</c> with a
/// time-to-live that ends at the record's expiry (the earlier of idle and absolute); readers also check the expiry.</para>
/// <para><b>Last writer wins.</b> <see cref="IDistributedCache"/> has no compare-and-set, so <see cref="UpdateAsync"/> reads,
/// compares the version and writes in separate calls: two instances updating one session at the same moment may both
/// succeed, and the later write replaces the earlier one. <see cref="Capabilities"/> therefore omits
/// <see cref="StoreCapabilities.AtomicUpdate"/>. For sessions that is usually harmless (the loser's data-bag change is lost);
/// where it matters, use the file store or the native Redis store.</para>
/// <para>The per-user index (<c>{KeyPrefix}u:{sha256(userId)}</c>) is best effort: concurrent sign-ins of one user may drop
/// an entry, and then <see cref="RemoveByUserAsync"/> misses that session until it expires. Entries of records that are
/// gone are pruned whenever the index is read.</para>
/// </remarks>
public sealed class DistributedCacheSessionStore : ISessionStore
{
    private readonly IDistributedCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _recordPrefix;
    private readonly string _userPrefix;
    private readonly TimeSpan _timeout;

    /// <summary>Creates a store on <paramref name="cache"/>.</summary>
    public DistributedCacheSessionStore(IDistributedCache cache, IOptions<DistributedCacheSessionStoreOptions> options, TimeProvider timeProvider, ILogger<DistributedCacheSessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var o = options.Value;
        var prefix = o.KeyPrefix ?? "authkit:";
        _cache = cache;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _recordPrefix = prefix + "s:";
        _userPrefix = prefix + "u:";
        _timeout = o.OperationTimeout;
    }

    /// <inheritdoc />
    /// <remarks>Only <see cref="StoreCapabilities.SharedAcrossProcesses"/>: updates are last-writer-wins and the per-user index is best effort.</remarks>
    public StoreCapabilities Capabilities => StoreCapabilities.SharedAcrossProcesses;

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var record = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        return record is not null && !record.IsExpired(_time.GetUtcNow()) ? record : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var current = await ReadAsync(record.Key, cancellationToken).ConfigureAwait(false);
        if (current is not null && !current.IsExpired(_time.GetUtcNow()))
        {
            return false;
        }

        // Index first: a crash in between leaves an entry that is pruned on read, never a record the index misses.
        if (record.UserId is { } userId)
        {
            await AddToIndexAsync(userId, record, cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(record with { Version = 1 }, cancellationToken).ConfigureAwait(false);
        if (current?.UserId is { } previousUser && !string.Equals(previousUser, record.UserId, StringComparison.Ordinal))
        {
            await TryRemoveFromIndexAsync(previousUser, record.Key, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>Not atomic: see the remarks on <see cref="DistributedCacheSessionStore"/>.</remarks>
    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var current = await ReadAsync(record.Key, cancellationToken).ConfigureAwait(false);
        if (current is null || current.IsExpired(_time.GetUtcNow()) || current.Version != expectedVersion)
        {
            return false;
        }

        var sameUser = string.Equals(current.UserId, record.UserId, StringComparison.Ordinal);
        if (record.UserId is { } userId && (!sameUser || record.AbsoluteExpiresAt > current.AbsoluteExpiresAt))
        {
            await AddToIndexAsync(userId, record, cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(record with { Version = expectedVersion + 1 }, cancellationToken).ConfigureAwait(false);
        if (!sameUser && current.UserId is { } previousUser)
        {
            await TryRemoveFromIndexAsync(previousUser, record.Key, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), RecordKey(key), "remove a record", cancellationToken).ConfigureAwait(false);
        if (current.UserId is { } userId)
        {
            await TryRemoveFromIndexAsync(userId, key, cancellationToken).ConfigureAwait(false);
        }

        return !current.IsExpired(_time.GetUtcNow());
    }

    /// <inheritdoc />
    /// <remarks>Best effort: a session whose index entry was lost to a concurrent write is not found (it still expires).</remarks>
    public async ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var indexKey = UserKey(userId);
        var entries = UserIndex.Read(await CallAsync(static (c, k, ct) => c.GetAsync(k, ct), indexKey, "read a user index", cancellationToken).ConfigureAwait(false));
        var removed = 0;
        foreach (var entry in entries)
        {
            var record = await ReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
            if (record is not null && string.Equals(record.UserId, userId, StringComparison.Ordinal))
            {
                await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), RecordKey(entry.Key), "remove a record", cancellationToken).ConfigureAwait(false);
                if (!record.IsExpired(_time.GetUtcNow()))
                {
                    removed++;
                }
            }
        }

        await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), indexKey, "remove a user index", cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var entries = UserIndex.Read(await CallAsync(static (c, k, ct) => c.GetAsync(k, ct), UserKey(userId), "read a user index", cancellationToken).ConfigureAwait(false));
        HashSet<SessionKey>? stale = null;
        foreach (var entry in entries)
        {
            var record = await ReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
            if (record is not null && string.Equals(record.UserId, userId, StringComparison.Ordinal) && !record.IsExpired(_time.GetUtcNow()))
            {
                yield return record;
            }
            else
            {
                (stale ??= []).Add(entry.Key);
            }
        }

        if (stale is not null)
        {
            await TryRewriteIndexAsync(userId, list => list.RemoveAll(e => stale.Contains(e.Key)) > 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<SessionRecord?> ReadAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var cacheKey = RecordKey(key);
        var bytes = await CallAsync(static (c, k, ct) => c.GetAsync(k, ct), cacheKey, "read a record", cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        if (SessionRecordSerializer.TryDeserialize(bytes, out var record) && record.Key == key)
        {
            return record;
        }

        if (bytes.Length > 0 && bytes[0] > SessionRecordSerializer.FormatVersion)
        {
            // Written by a newer AuthKit during a rolling upgrade: absent for this version, but not ours to delete.
            return null;
        }

        _logger.DistributedStoreCorruptRecord();
        await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), cacheKey, "remove a record", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async ValueTask WriteAsync(SessionRecord record, CancellationToken cancellationToken)
    {
        var ttl = record.ExpiresAt - _time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            // Already expired: nothing to keep, and an older copy must not linger.
            await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), RecordKey(record.Key), "remove a record", cancellationToken).ConfigureAwait(false);
            return;
        }

        var bytes = SessionRecordSerializer.Serialize(record);
        var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = RoundUp(ttl) };
        await CallAsync((c, k, ct) => c.SetAsync(k, bytes, entry, ct), RecordKey(record.Key), "write a record", cancellationToken).ConfigureAwait(false);
    }

    private ValueTask AddToIndexAsync(string userId, SessionRecord record, CancellationToken cancellationToken)
        => RewriteIndexAsync(
            userId,
            list =>
            {
                list.RemoveAll(e => e.Key == record.Key);
                list.Add(new UserIndex.Entry(record.Key, record.AbsoluteExpiresAt));
                return true;
            },
            cancellationToken);

    private ValueTask TryRemoveFromIndexAsync(string userId, SessionKey key, CancellationToken cancellationToken)
        => TryRewriteIndexAsync(userId, list => list.RemoveAll(e => e.Key == key) > 0, cancellationToken);

    private async ValueTask TryRewriteIndexAsync(string userId, Func<List<UserIndex.Entry>, bool> change, CancellationToken cancellationToken)
    {
        try
        {
            await RewriteIndexAsync(userId, change, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            // The record itself is already written or removed; a stale index entry is pruned on the next read.
            _logger.DistributedStoreIndexFailed(ex);
        }
    }

    private async ValueTask RewriteIndexAsync(string userId, Func<List<UserIndex.Entry>, bool> change, CancellationToken cancellationToken)
    {
        var indexKey = UserKey(userId);
        var list = UserIndex.Read(await CallAsync(static (c, k, ct) => c.GetAsync(k, ct), indexKey, "read a user index", cancellationToken).ConfigureAwait(false));
        var now = _time.GetUtcNow();
        var pruned = list.RemoveAll(e => e.AbsoluteExpiresAt <= now) > 0;
        if (!change(list) && !pruned)
        {
            return;
        }

        if (list.Count == 0)
        {
            await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), indexKey, "remove a user index", cancellationToken).ConfigureAwait(false);
            return;
        }

        var bytes = UserIndex.Write(list);
        var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = RoundUp(list.Max(e => e.AbsoluteExpiresAt) - now) };
        await CallAsync((c, k, ct) => c.SetAsync(k, bytes, entry, ct), indexKey, "write a user index", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one cache call within <see cref="DistributedCacheSessionStoreOptions.OperationTimeout"/> (real time: it bounds a wait on
    /// the network, whatever clock drives expiry) and turns provider failures into <see cref="SessionStoreException"/>.
    /// </summary>
    private async ValueTask<T> CallAsync<T>(Func<IDistributedCache, string, CancellationToken, Task<T>> call, string key, string action, CancellationToken cancellationToken)
    {
        try
        {
            return await call(_cache, key, cancellationToken).WaitAsync(_timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            throw new SessionStoreException($"The distributed cache did not {action} within {_timeout.TotalMilliseconds:0} ms (AuthKit:DistributedStore:OperationTimeout). Check that the cache server is reachable.", ex);
        }
        catch (Exception ex) when (ex is not SessionStoreException)
        {
            throw new SessionStoreException($"The distributed cache failed to {action}: {ex.Message}", ex);
        }
    }

    private async ValueTask CallAsync(Func<IDistributedCache, string, CancellationToken, Task> call, string key, string action, CancellationToken cancellationToken)
        => await CallAsync(
            async (c, k, ct) =>
            {
                await call(c, k, ct).ConfigureAwait(false);
                return true;
            },
            key,
            action,
            cancellationToken).ConfigureAwait(false);

    // Providers keep whole seconds (Redis EXPIRE); rounding up keeps a record at least as long as it lives.
    private static TimeSpan RoundUp(TimeSpan ttl) => TimeSpan.FromSeconds(Math.Ceiling(Math.Max(ttl.TotalSeconds, 1)));

    private string RecordKey(SessionKey key) => _recordPrefix + key.ToString();

    private string UserKey(string userId) => _userPrefix + SessionStoreKeys.UserDigest(userId);
}
