using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthKit.Basic;

/// <summary>The <see cref="IBasicCredentialCache"/> service: holds every Basic scheme's store and throttle (a singleton).</summary>
internal sealed class BasicCredentialCache(ILogger<BasicCredentialCache> logger) : IBasicCredentialCache
{
    private readonly ConcurrentDictionary<string, BasicCredentialStore> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BasicFailureThrottle> _throttles = new(StringComparer.Ordinal);

    public BasicCredentialStore StoreFor(string scheme) => _stores.GetOrAdd(scheme, static _ => new BasicCredentialStore());

    public BasicFailureThrottle ThrottleFor(string scheme) => _throttles.GetOrAdd(scheme, static _ => new BasicFailureThrottle());

    public int InvalidateUser(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var removed = 0;
        foreach (var store in _stores.Values)
        {
            removed += store.InvalidateUser(userName);
        }

        logger.CacheInvalidated(removed);
        return removed;
    }

    public void Clear()
    {
        foreach (var store in _stores.Values)
        {
            store.Clear();
        }
    }
}
