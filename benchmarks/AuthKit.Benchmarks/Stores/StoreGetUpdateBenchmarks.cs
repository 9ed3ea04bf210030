using System.Security.Claims;
using AuthKit.TestInfrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using AuthKit.Sessions.Distributed;
using AuthKit.Sessions.File;

namespace AuthKit.Benchmarks.Stores;

/// <summary>
/// What a session request costs in the store: <see cref="Get"/> (every request) and <see cref="Update"/> (a request that
/// changed the session: read, compare the version, write) of one signed-in record with a small data bag, on the memory store
/// (the baseline), the file store (a temp directory), and the distributed store on <c>MemoryDistributedCache</c> and on Redis
/// through <c>RedisCache</c> (<c>AUTHKIT_TEST_REDIS=host:port</c>, else 127.0.0.1:6379, else Garnet in-process).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*StoreGetUpdate*'</c></remarks>
[Config(typeof(AuthKitBenchConfig))]
public class StoreGetUpdateBenchmarks
{
    private ISessionStore _store = null!;
    private SessionRecord _record = null!;
    private long _version;
    private string? _directory;
    private RedisCache? _redis;

    [Params("memory", "file", "distributed-memory", "distributed-redis")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var time = TimeProvider.System;
        _store = Store switch
        {
            "memory" => new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), time),
            "file" => new FileSessionStore(Options.Create(new FileSessionStoreOptions { Directory = _directory = Path.Combine(Path.GetTempPath(), "authkit-bench-" + Guid.NewGuid().ToString("N")) }), time),
            "distributed-memory" => Distributed(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))),
            "distributed-redis" => Distributed(_redis = new RedisCache(Options.Create(new RedisCacheOptions { ConfigurationOptions = (await RedisTestServer.GetSharedAsync()).CreateConfiguration() }))),
            _ => throw new ArgumentOutOfRangeException(nameof(Store)),
        };

        var now = time.GetUtcNow();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, "reader")], "AuthKit.Session");
        _record = new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            UserId = "alice",
            Principal = new ClaimsPrincipal(identity),
            AuthenticationScheme = "AuthKit.Session",
            Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = "3 apples"u8.ToArray(), ["counter"] = new byte[4] },
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddHours(1),
            AbsoluteExpiresAt = now.AddHours(8),
        };
        if (!await _store.CreateAsync(_record))
        {
            throw new InvalidOperationException("Create failed.");
        }

        _version = 1;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.RemoveAsync(_record.Key);
        (_store as IDisposable)?.Dispose();
        _redis?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark]
    public ValueTask<SessionRecord?> Get() => _store.GetAsync(_record.Key);

    [Benchmark]
    public async Task<bool> Update()
    {
        if (!await _store.UpdateAsync(_record, _version))
        {
            throw new InvalidOperationException("Update lost its version.");
        }

        _version++;
        return true;
    }

    private static DistributedCacheSessionStore Distributed(IDistributedCache cache)
        => new(cache, Options.Create(new DistributedCacheSessionStoreOptions { KeyPrefix = "authkit-bench:" + Guid.NewGuid().ToString("N") + ":" }), TimeProvider.System);
}
