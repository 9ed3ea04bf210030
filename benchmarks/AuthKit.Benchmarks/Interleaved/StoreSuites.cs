using System.Security.Claims;
using AuthKit.Sessions.Distributed;
using AuthKit.Sessions.File;
using AuthKit.Sessions.Redis;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>
/// What a session request costs in each store, interleaved: <c>GetAsync</c> (every request with a session cookie) and
/// <c>UpdateAsync</c> (a request that changed its session: compare the version, write) of one signed-in record (four claims,
/// a two-entry data bag), single caller. Redis is the server of the tests (<c>AUTHKIT_TEST_REDIS</c>, else 127.0.0.1:6379,
/// else Garnet in process); its floors are a raw <c>PING</c> and a raw <c>HGET</c> of 600 bytes on the same connection kind.
/// </summary>
internal static class StoreSuites
{
    public const string MemoryGet = "memory: Get";
    public const string RedisGet = "Redis (native): Get";
    public const string HashGetFloor = "floor: raw HGET, 600 B";

    public static async Task<(List<Contender> Contenders, Resources Resources)> CreateAsync()
    {
        var time = TimeProvider.System;
        var resources = new Resources();
        var redis = await RedisTestServer.GetSharedAsync().ConfigureAwait(false);
        resources.Server = redis.ToString();
        var prefix = RedisTestServer.UniquePrefix("ak-bench");
        resources.Directory = Directory.CreateTempSubdirectory("authkit-bench-").FullName;
        var connection = await redis.ConnectAsync().ConfigureAwait(false);
        resources.Disposables.Add(connection);
        var redisCache = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = redis.ConnectionString, InstanceName = prefix + "dc:" }));
        resources.Disposables.Add(redisCache);

        var stores = new (string Name, ISessionStore Store)[]
        {
            ("memory", new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), time)),
            ("file", new FileSessionStore(Options.Create(new FileSessionStoreOptions { Directory = resources.Directory }), time)),
            ("distributed (MemoryDistributedCache)", Distributed(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())))),
            ("Redis (native)", new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { KeyPrefix = prefix }), time, connection)),
            ("distributed (RedisCache)", Distributed(redisCache)),
        };

        var list = new List<Contender>();
        foreach (var (name, store) in stores)
        {
            if (store is IDisposable disposable)
            {
                resources.Disposables.Add(disposable);
            }

            var record = Record(time.GetUtcNow());
            if (!await store.CreateAsync(record).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{name}: CreateAsync failed: fix the set-up.");
            }

            var version = 1L;
            list.Add(Contender.Async($"{name}: Get", async () => await store.GetAsync(record.Key).ConfigureAwait(false) is not null));
            list.Add(Contender.Async($"{name}: Update", async () => await store.UpdateAsync(record, version++).ConfigureAwait(false)));
        }

        var db = connection.GetDatabase();
        RedisKey key = prefix + "floor";
        var bytes = new byte[600];
        Random.Shared.NextBytes(bytes);
        await db.HashSetAsync(key, [new HashEntry("v", 1), new HashEntry("d", bytes)]).ConfigureAwait(false);
        await db.KeyExpireAsync(key, TimeSpan.FromHours(1)).ConfigureAwait(false);
        list.Add(Contender.Async("floor: raw PING", async () => await db.PingAsync().ConfigureAwait(false) >= TimeSpan.Zero));
        list.Add(Contender.Async(HashGetFloor, async () => (byte[]?)await db.HashGetAsync(key, "d").ConfigureAwait(false) is { Length: 600 }));
        return (list, resources);
    }

    /// <summary>The benchmarks' signed-in record: four claims, a two-entry data bag, ~600 bytes serialized.</summary>
    internal static SessionRecord Record(DateTimeOffset now) => new()
    {
        Key = SessionKey.FromSessionId(SessionIds.Create()),
        UserId = "user-42",
        Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "user-42"), new Claim(ClaimTypes.Name, "Ada"), new Claim(ClaimTypes.Role, "reader"), new Claim(ClaimTypes.Role, "writer")],
            "AuthKit.Session")),
        AuthenticationScheme = "AuthKit.Session",
        Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = "3 apples"u8.ToArray(), ["counter"] = BitConverter.GetBytes(41) },
        CreatedAt = now,
        LastSeenAt = now,
        IdleExpiresAt = now.AddHours(2),
        AbsoluteExpiresAt = now.AddHours(8),
    };

    private static DistributedCacheSessionStore Distributed(IDistributedCache cache) =>
        new(cache, Options.Create(new DistributedCacheSessionStoreOptions { KeyPrefix = RedisTestServer.UniquePrefix("ak-bench-dc") }), TimeProvider.System);

    /// <summary>What the suite holds open: the connections, the stores and the file store's directory.</summary>
    public sealed class Resources : IAsyncDisposable
    {
        public List<IDisposable> Disposables { get; } = [];

        public string? Directory { get; set; }

        /// <summary>Which Redis server the suite talked to (a real one, or Garnet in process).</summary>
        public string Server { get; set; } = "";

        public ValueTask DisposeAsync()
        {
            foreach (var disposable in Disposables)
            {
                disposable.Dispose();
            }

            if (Directory is not null)
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }

            return default;
        }
    }
}
