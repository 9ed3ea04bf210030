using AuthKit.Testing;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>
/// The store contract against the shared test server: the real Redis that CI starts, or Garnet in-process
/// (<c>AUTHKIT_TEST_REDIS=garnet</c>, or no Redis on 127.0.0.1:6379).
/// </summary>
public sealed class RedisSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly string _prefix = RedisTestServer.UniquePrefix("ak-conf");

    protected override async ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider)
        => await RedisTestStores.CreateAsync(timeProvider, RedisTestStores.Options(_prefix));

    protected override async ValueTask<bool> WriteCorruptRecordAsync(SessionKey key, byte[] bytes)
    {
        var connection = await RedisTestStores.SharedConnectionAsync();
        var store = (RedisSessionStore)Store;
        var expires = (Time.GetUtcNow().AddHours(1) - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        await connection.GetDatabase().HashSetAsync(store.RecordKey(key), [new("v", 1), new("e", expires), new("d", bytes)]);
        return true;
    }

    protected override async ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync()
        => RedisTestStores.Flatten(await RedisTestStores.DumpAsync(await RedisTestStores.SharedConnectionAsync(), _prefix));

    protected override async ValueTask DisposeStoreAsync(ISessionStore store)
    {
        await base.DisposeStoreAsync(store);
        var connection = await RedisTestStores.SharedConnectionAsync();
        // One key at a time: on a cluster the keys live in many hash slots.
        var db = connection.GetDatabase();
        await Task.WhenAll((await RedisTestStores.DumpAsync(connection, _prefix)).Select(e => db.KeyDeleteAsync(e.Key)));
    }
}
