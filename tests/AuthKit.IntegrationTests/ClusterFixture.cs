using AuthKit.TestInfrastructure;

namespace AuthKit.IntegrationTests;

/// <summary>One cluster (balancer + three WebApp processes) per test class, stopped and cleaned up after it.</summary>
public abstract class ClusterFixture(string store) : IAsyncLifetime
{
    private ClusterProcess? _cluster;

    public string Store { get; } = store;

    public ClusterProcess Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public virtual async ValueTask InitializeAsync() => _cluster = await StartAsync();

    protected virtual Task<ClusterProcess> StartAsync() => ClusterProcess.StartAsync(Store);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class MemoryClusterFixture() : ClusterFixture("memory");

public sealed class FileClusterFixture() : ClusterFixture("file");

public sealed class RedisClusterFixture() : ClusterFixture("redis")
{
    public RedisTestServer? Server { get; private set; }

    protected override async Task<ClusterProcess> StartAsync()
    {
        // Real Redis when CI provides one at 127.0.0.1:6379, else Garnet hosted in this test process.
        Server = await RedisTestServer.GetSharedAsync();
        return await ClusterProcess.StartAsync(Store, Server.ConnectionString, RedisTestServer.UniquePrefix("sample-cluster"));
    }
}
