using System.Security.Claims;
using AuthKit;
using AuthKit.Sessions.Redis;
using AuthKit.TestInfrastructure;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using AuthKit.Sessions.Distributed;
using AuthKit.Sessions.File;

namespace AuthKit.Benchmarks.Redis;

/// <summary>
/// What a session request costs the store, for every AuthKit store side by side: <c>Get</c> (every authenticated request)
/// and <c>Update</c> (a request that changed the session: a compare-and-set on the version where the store has one).
/// The record is a signed-in session with four claims and a two-entry data bag (about 600 bytes serialized).
/// </summary>
/// <remarks>
/// <c>redis</c> and <c>distributed-redis</c> talk to the same Redis server (127.0.0.1:6379, or <c>AUTHKIT_TEST_REDIS</c>);
/// <c>garnet</c> is the native store on Microsoft Garnet hosted in this process. Run:
/// <c>dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*SessionStoreBenchmarks*'</c>
/// </remarks>
[Config(typeof(AuthKitBenchConfig))]
public class SessionStoreBenchmarks
{
    private ISessionStore _store = null!;
    private SessionRecord _record = null!;
    private long _version;
    private string? _directory;
    private RedisTestServer? _garnet;
    private IConnectionMultiplexer? _connection;
    private RedisCache? _cache;

    [Params("memory", "file", "distributed-redis", "redis", "garnet")]
    public string Store { get; set; } = "redis";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "GetAsync")]
    public async Task<SessionRecord?> Get() => await _store.GetAsync(_record.Key);

    [Benchmark(Description = "UpdateAsync (version check + write)")]
    public async Task<bool> Update()
    {
        var ok = await _store.UpdateAsync(_record, _version);
        _version++;
        return ok;
    }

    private async Task SetupAsync()
    {
        var time = TimeProvider.System;
        var prefix = RedisTestServer.UniquePrefix("ak-bench");
        switch (Store)
        {
            case "memory":
                _store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), time);
                break;
            case "file":
                _directory = Directory.CreateTempSubdirectory("authkit-bench-").FullName;
                _store = new FileSessionStore(Options.Create(new FileSessionStoreOptions { Directory = _directory }), time);
                break;
            case "distributed-redis":
                var shared = await RedisTestServer.GetSharedAsync();
                _cache = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = shared.ConnectionString, InstanceName = prefix }));
                _store = new DistributedCacheSessionStore(_cache, Options.Create(new DistributedCacheSessionStoreOptions()), time);
                break;
            case "redis":
                _connection = await (await RedisTestServer.GetSharedAsync()).ConnectAsync();
                _store = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { KeyPrefix = prefix }), time, _connection);
                break;
            case "garnet":
                var previous = Environment.GetEnvironmentVariable(RedisTestServer.EnvironmentVariable);
                Environment.SetEnvironmentVariable(RedisTestServer.EnvironmentVariable, "garnet");
                try
                {
                    _garnet = await RedisTestServer.StartDedicatedAsync();
                }
                finally
                {
                    Environment.SetEnvironmentVariable(RedisTestServer.EnvironmentVariable, previous);
                }

                _connection = await _garnet.ConnectAsync();
                _store = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { KeyPrefix = prefix }), time, _connection);
                break;
            default:
                throw new InvalidOperationException(Store);
        }

        _record = AuthKit.Benchmarks.Interleaved.StoreSuites.Record(time.GetUtcNow());
        if (!await _store.CreateAsync(_record) || await _store.GetAsync(_record.Key) is null)
        {
            throw new InvalidOperationException($"The {Store} store did not keep the benchmark record: fix the set-up.");
        }

        _version = 1;
        if (!await _store.UpdateAsync(_record, _version++))
        {
            throw new InvalidOperationException($"The {Store} store refused the first update: fix the set-up.");
        }
    }

    private async Task CleanupAsync()
    {
        await _store.RemoveByUserAsync("user-42");
        switch (_store)
        {
            case IAsyncDisposable a:
                await a.DisposeAsync();
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }

        _cache?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_garnet is not null)
        {
            await _garnet.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
