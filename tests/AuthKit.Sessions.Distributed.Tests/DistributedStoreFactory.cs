using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using AuthKit.Sessions.Distributed;

namespace AuthKit.DistributedStore.Tests;

internal static class DistributedStoreFactory
{
    // No size limit: the framework's memory cache keeps its size count without a lock, and the race tests (thousands of
    // writes and removals of one key from several threads) skew it until the cache believes it is full and silently drops
    // new entries. That is the test cache's limit, not the store's.
    public static MemoryDistributedCache NewMemoryCache() => new(Options.Create(new MemoryDistributedCacheOptions { SizeLimit = null }));

    public static DistributedCacheSessionStore Create(IDistributedCache cache, TimeProvider time, string prefix = "test:", TimeSpan? timeout = null)
        => Create(cache, time, new DistributedCacheSessionStoreOptions { KeyPrefix = prefix, OperationTimeout = timeout ?? TimeSpan.FromSeconds(30) });

    public static DistributedCacheSessionStore Create(IDistributedCache cache, TimeProvider time, DistributedCacheSessionStoreOptions options)
        => new(cache, Options.Create(options), time);
}
