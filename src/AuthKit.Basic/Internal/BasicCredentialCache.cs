using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Internal;

/// <summary>
/// The default <see cref="IBasicCredentialCache"/>: one in-memory store per Basic scheme, in this process. Writes and invalidations
/// share one lock and an "invalidated at" instant, so an entry whose validation started before an invalidation is refused.
/// </summary>
internal sealed class BasicCredentialCache(IOptionsMonitor<BasicAuthenticationOptions> options, TimeProvider time, ILogger<BasicCredentialCache> logger) : IBasicCredentialCache
{
    private readonly ConcurrentDictionary<string, BasicCredentialStore> _stores = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private long _invalidatedAt = long.MinValue;

    public BasicCredentialStore StoreFor(string scheme) => _stores.GetOrAdd(scheme, static _ => new BasicCredentialStore());

    public ValueTask<BasicCredentialCacheEntry?> GetAsync(string authenticationScheme, BasicCredentialCacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_stores.TryGetValue(authenticationScheme, out var store) ? store.Get(key, time.GetUtcNow().UtcTicks) : null);

    public ValueTask<bool> SetAsync(string authenticationScheme, BasicCredentialCacheKey key, BasicCredentialCacheEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationScheme);
        ArgumentNullException.ThrowIfNull(entry);
        var capacity = Math.Max(1, options.Get(authenticationScheme).CredentialCacheSize);
        var store = StoreFor(authenticationScheme);
        lock (_writeLock)
        {
            if (entry.ValidationStartedAt.UtcTicks <= _invalidatedAt)
            {
                return ValueTask.FromResult(false);
            }

            store.Add(key, entry, time.GetUtcNow().UtcTicks, capacity);
            return ValueTask.FromResult(true);
        }
    }

    public int InvalidateUser(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var removed = 0;
        lock (_writeLock)
        {
            _invalidatedAt = Math.Max(_invalidatedAt, time.GetUtcNow().UtcTicks);
            foreach (var store in _stores.Values)
            {
                removed += store.InvalidateUser(userName);
            }
        }

        logger.CacheInvalidated(removed);
        return removed;
    }

    public void Clear()
    {
        lock (_writeLock)
        {
            _invalidatedAt = Math.Max(_invalidatedAt, time.GetUtcNow().UtcTicks);
            foreach (var store in _stores.Values)
            {
                store.Clear();
            }
        }
    }
}
