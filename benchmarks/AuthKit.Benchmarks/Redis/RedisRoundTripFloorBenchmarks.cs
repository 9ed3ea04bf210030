using AuthKit.TestInfrastructure;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace AuthKit.Benchmarks.Redis;

/// <summary>
/// The floor under the Redis store: one StackExchange.Redis round trip on the same server with no AuthKit code
/// (<c>PING</c>; <c>HGET</c> of the same ~600 bytes the store reads), to show what of <c>GetAsync</c> is the network.
/// </summary>
[Config(typeof(AuthKitBenchConfig))]
public class RedisRoundTripFloorBenchmarks
{
    private IConnectionMultiplexer _connection = null!;
    private IDatabase _db = null!;
    private RedisKey _key;

    [GlobalSetup]
    public void Setup()
    {
        _connection = RedisTestServer.GetSharedAsync().GetAwaiter().GetResult().ConnectAsync().GetAwaiter().GetResult();
        _db = _connection.GetDatabase();
        _key = RedisTestServer.UniquePrefix("ak-bench-floor") + "h";
        var bytes = new byte[600];
        Random.Shared.NextBytes(bytes);
        _db.HashSet(_key, [new HashEntry("v", 1), new HashEntry("d", bytes)]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.KeyDelete(_key);
        _connection.Dispose();
    }

    [Benchmark(Baseline = true, Description = "PING")]
    public async Task<TimeSpan> Ping() => await _db.PingAsync();

    [Benchmark(Description = "HGET d (600 bytes)")]
    public async Task<byte[]?> HashGet() => (byte[]?)await _db.HashGetAsync(_key, "d");
}
