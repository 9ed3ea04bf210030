using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using AuthKit.Sessions.Distributed;

namespace AuthKit.DistributedStore.Tests;

internal static class DistributedStoreFactory
{
    public static MemoryDistributedCache NewMemoryCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    public static DistributedCacheSessionStore Create(IDistributedCache cache, TimeProvider time, string prefix = "test:", TimeSpan? timeout = null)
        => new(cache, Options.Create(new DistributedCacheSessionStoreOptions { KeyPrefix = prefix, OperationTimeout = timeout ?? TimeSpan.FromSeconds(30) }), time);
}
