using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Internal;
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
/// <para><b>Removal is final.</b> <see cref="RemoveAsync"/> and <see cref="RemoveByUserAsync"/> first write a revocation
/// marker (<c>{KeyPrefix}r:{key}</c>, a one-byte entry that lives until the record's absolute expiry), then delete the
/// record. <see cref="UpdateAsync"/> checks for the marker after it writes and, when the record was removed meanwhile,
/// deletes what it wrote and returns <see langword="false"/>: a sign-out or "sign out everywhere" is never undone by a
/// concurrent request. Until that update finishes, a reader may still see the record it wrote; each update costs one
/// more cache read for the check.</para>
/// </remarks>
public sealed class DistributedCacheSessionStore : ISessionStore, ISessionStoreSetting
{
    private static readonly byte[] TombstoneValue = [1];

    private readonly IDistributedCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _recordPrefix;
    private readonly string _userPrefix;
    private readonly string _tombstonePrefix;
    private readonly TimeSpan _timeout;

    /// <inheritdoc />
    string ISessionStoreSetting.ConnectionSetting => $"the IDistributedCache registered in the services ({_cache.GetType().Name}), which AuthKit:DistributedStore uses";

    /// <summary>Creates a store on <paramref name="cache"/> that does not log.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="DistributedCacheSessionStoreOptions"/>).</exception>
    public DistributedCacheSessionStore(IDistributedCache cache, IOptions<DistributedCacheSessionStoreOptions> options, TimeProvider timeProvider)
        : this(cache, options, timeProvider, NullLogger<DistributedCacheSessionStore>.Instance)
    {
    }

    /// <summary>Creates a store on <paramref name="cache"/>.</summary>
    /// <remarks>
    /// Without a <see cref="DistributedCacheSessionStoreOptions.KeyPrefix"/> (a store built without a host), the prefix is
    /// <c>authkit:authkit:</c>, what a host whose <see cref="AuthKitOptions.ApplicationName"/> is left at its default uses.
    /// </remarks>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="DistributedCacheSessionStoreOptions"/>).</exception>
    public DistributedCacheSessionStore(IDistributedCache cache, IOptions<DistributedCacheSessionStoreOptions> options, TimeProvider timeProvider, ILogger<DistributedCacheSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var o = options.Value;
        DistributedCacheSessionStoreOptionsValidator.ThrowIfInvalid(o);
        var prefix = o.KeyPrefix ?? DistributedCacheSessionStoreOptionsValidator.DefaultKeyPrefix(new AuthKitOptions().ApplicationName);
        _cache = cache;
        _time = timeProvider;
        _logger = logger;
        _recordPrefix = prefix + "s:";
        _userPrefix = prefix + "u:";
        _tombstonePrefix = prefix + "r:";
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

        // A removed key stays burned until the removed record's absolute expiry (see RevokeAsync): IDs are never reused.
        if (await IsRevokedAsync(record.Key, cancellationToken).ConfigureAwait(false))
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

        // A removal that landed between the read above and the write may have been overwritten: its marker says so.
        if (await IsRevokedAsync(record.Key, cancellationToken).ConfigureAwait(false))
        {
            await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), RecordKey(record.Key), "remove a record", cancellationToken).ConfigureAwait(false);
            if (record.UserId is { } writtenUser)
            {
                await TryRemoveFromIndexAsync(writtenUser, record.Key, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

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

        // Some caches (the framework's in-memory one) briefly answer "absent" for a key another caller is replacing: a
        // second look keeps a sign-out from being skipped for that reason.
        var current = await ReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        await RevokeAsync(key, current.AbsoluteExpiresAt, cancellationToken).ConfigureAwait(false);
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
            if (record is null)
            {
                // Gone, or (in some caches) being replaced at this instant: mark it anyway, so an update in flight cannot
                // bring it back. The index entry knows how long the record can live.
                await RevokeAsync(entry.Key, entry.AbsoluteExpiresAt, cancellationToken).ConfigureAwait(false);
            }
            else if (string.Equals(record.UserId, userId, StringComparison.Ordinal))
            {
                await RevokeAsync(entry.Key, record.AbsoluteExpiresAt, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Marks the record revoked, then deletes it: an update that read it before sees the mark after its write.</summary>
    private async ValueTask RevokeAsync(SessionKey key, DateTimeOffset absoluteExpiresAt, CancellationToken cancellationToken)
    {
        // The marker must outlive every update that read the record before this removal (it checks right after writing),
        // and keeps the key from being created again while the removed record could have lived.
        var ttl = absoluteExpiresAt - _time.GetUtcNow();
        if (ttl > TimeSpan.Zero)
        {
            var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = RoundUp(ttl) };
            await CallAsync((c, k, ct) => c.SetAsync(k, TombstoneValue, entry, ct), TombstoneKey(key), "write a revocation marker", cancellationToken).ConfigureAwait(false);
        }

        await CallAsync(static (c, k, ct) => c.RemoveAsync(k, ct), RecordKey(key), "remove a record", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> IsRevokedAsync(SessionKey key, CancellationToken cancellationToken)
        => await CallAsync(static (c, k, ct) => c.GetAsync(k, ct), TombstoneKey(key), "read a revocation marker", cancellationToken).ConfigureAwait(false) is not null;

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

    private string RecordKey(SessionKey key) => _recordPrefix + key.DigestHex();

    private string UserKey(string userId) => _userPrefix + SessionStoreKeys.UserDigest(userId);

    private string TombstoneKey(SessionKey key) => _tombstonePrefix + key.DigestHex();
}
