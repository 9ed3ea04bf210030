using AuthKit.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.DistributedStore.Tests;

/// <summary>Two app instances (separate DI containers, separate Kestrel ports) on one Redis through <c>AddStackExchangeRedisCache</c>.</summary>
public sealed class TwoHostTests : SharedStoreTwoHostTests
{
    private readonly string _prefix = RedisTestServer.UniquePrefix("authkit-two-hosts");
    private RedisTestServer? _redis;

    protected override async Task PrepareSharedStoreAsync() => _redis = await RedisTestServer.GetSharedAsync();

    protected override void UseSharedStore(AuthKitBuilder authKit)
    {
        var redis = _redis ?? throw new InvalidOperationException("PrepareSharedStoreAsync runs first.");
        authKit.Services.AddStackExchangeRedisCache(o => o.ConfigurationOptions = redis.CreateConfiguration());
        authKit.UseDistributedSessionStore(o => o.KeyPrefix = _prefix);
    }

    protected override async Task<int> CountStoredRecordsAsync()
    {
        await using var redis = await (await RedisTestServer.GetSharedAsync()).ConnectAsync();
        // Every primary: on a cluster each holds part of the keyspace.
        var count = 0;
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var _ in server.KeysAsync(pattern: _prefix + "s:*"))
            {
                count++;
            }
        }

        return count;
    }
}
