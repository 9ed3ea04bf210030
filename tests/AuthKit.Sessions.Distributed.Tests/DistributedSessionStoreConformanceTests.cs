using AuthKit.Testing;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.DistributedStore.Tests;

/// <summary>The conformance suite on the framework's in-memory <c>IDistributedCache</c>.</summary>
public sealed class MemoryDistributedCacheConformanceTests : SessionStoreConformanceTests
{
    private readonly RecordingDistributedCache _cache = new(DistributedStoreFactory.NewMemoryCache());

    protected override ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider)
        => new(DistributedStoreFactory.Create(_cache, timeProvider, "conformance:"));

    protected override async ValueTask<bool> WriteCorruptRecordAsync(SessionKey key, byte[] bytes)
    {
        await _cache.SetAsync("conformance:s:" + key, bytes, new(), TestContext.Current.CancellationToken);
        return true;
    }

    protected override async ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync() => await _cache.DumpAsync(TestContext.Current.CancellationToken);
}

/// <summary>
/// The conformance suite on a real Redis through Microsoft.Extensions.Caching.StackExchangeRedis: <c>redis-server</c> on
/// 127.0.0.1:6379 (or <c>AUTHKIT_TEST_REDIS</c>), otherwise Garnet hosted in-process.
/// </summary>
public sealed class RedisDistributedCacheConformanceTests : SessionStoreConformanceTests
{
    private RedisCache? _redis;
    private RecordingDistributedCache? _cache;
    private string _prefix = string.Empty;

    protected override async ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider)
    {
        var server = await RedisTestServer.GetSharedAsync();
        _prefix = RedisTestServer.UniquePrefix("authkit-distributed");
        _redis = new RedisCache(Options.Create(new RedisCacheOptions { ConfigurationOptions = server.CreateConfiguration() }));
        _cache = new RecordingDistributedCache(_redis);
        return DistributedStoreFactory.Create(_cache, timeProvider, _prefix);
    }

    protected override async ValueTask DisposeStoreAsync(ISessionStore store)
    {
        if (_cache is not null)
        {
            foreach (var key in _cache.Writes.Keys)
            {
                await _cache.RemoveAsync(key, CancellationToken.None);
            }
        }

        _redis?.Dispose();
    }

    protected override async ValueTask<bool> WriteCorruptRecordAsync(SessionKey key, byte[] bytes)
    {
        await _cache!.SetAsync(_prefix + "s:" + key, bytes, new(), TestContext.Current.CancellationToken);
        return true;
    }

    protected override async ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync() => await _cache!.DumpAsync(TestContext.Current.CancellationToken);
}
