using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>
/// One private server for a test class whose results depend on the whole keyspace (the pruning pass scans it), so keys
/// left on the shared server by other suites cannot change them.
/// </summary>
public sealed class DedicatedRedisFixture : IAsyncLifetime
{
    public RedisTestServer Server { get; private set; } = null!;

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await RedisTestServer.StartDedicatedAsync();
        Connection = await Server.ConnectAsync();
    }

    public RedisSessionStore CreateStore(TimeProvider time, RedisSessionStoreOptions options) => new(Options.Create(options), time, Connection);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}
