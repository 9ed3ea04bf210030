using System.Net;
using System.Net.Sockets;
using AuthKit.TestInfrastructure;
using StackExchange.Redis;

namespace AuthKit.IntegrationTests;

/// <summary>
/// The cluster sample with <c>--store redis-cluster</c>: three instances behind the round-robin balancer on a real Redis
/// Cluster (the one <c>AUTHKIT_TEST_REDIS_CLUSTER</c> names; tests/AuthKit.Sessions.Redis.Tests/cluster.sh starts one).
/// </summary>
public sealed class RedisClusterSampleTests
{
    [Fact]
    public async Task With_store_redis_cluster_a_session_holds_on_every_instance_lives_in_the_users_slot_and_sign_out_ends_it_everywhere()
    {
        var nodes = Environment.GetEnvironmentVariable(RedisTestServer.ClusterEnvironmentVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(nodes),
            $"Runs when {RedisTestServer.ClusterEnvironmentVariable} names a Redis Cluster (start one with tests/AuthKit.Sessions.Redis.Tests/cluster.sh start).");
        var prefix = RedisTestServer.UniquePrefix("sample-redis-cluster");
        await using var cluster = await ClusterProcess.StartAsync("redis-cluster", nodes, prefix);
        Assert.Contains("AuthKit cluster demo — store: redis-cluster", cluster.Output, StringComparison.Ordinal);

        using var client = new SampleClient(cluster.Balancer);
        using (var signIn = await client.SignInAsync("alice"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/account", signIn.Headers.Location?.OriginalString);
        }

        var signedIn = await ClusterRequests.OnEveryInstanceAsync(cluster, () => client.GetAsync("/account"));
        Assert.All(signedIn, r =>
        {
            Assert.True(r.Status == HttpStatusCode.OK, $"Instance {r.Instance} answered {(int)r.Status} (Location: {r.Location}).\n{cluster.Output}");
            Assert.Contains("""<code id="account-user">alice</code>""", r.Body, StringComparison.Ordinal);
        });

        // On the cluster: alice's index and every session it lists hash to the slot her tag names.
        await using var redis = await (await RedisTestServer.GetSharedAsync()).ConnectAsync();
        var db = redis.GetDatabase();
        var tag = "{" + SessionStoreKeys.SlotTag("alice") + "}";
        var index = (RedisKey)(prefix + "u:" + tag + "alice");
        var members = await db.SetMembersAsync(index);
        Assert.NotEmpty(members);
        foreach (var member in members)
        {
            var record = (RedisKey)(prefix + "s:" + member);
            Assert.True(await db.KeyExistsAsync(record), $"{record} is listed in alice's index but missing.");
            Assert.Equal(redis.GetHashSlot(tag), redis.GetHashSlot(record));
        }

        Assert.Equal(redis.GetHashSlot(tag), redis.GetHashSlot(index));

        // Sign-out on whichever instance serves it ends the session on all of them, and leaves nothing of it on the cluster.
        using (var signOut = await client.PostFormAsync("/account", "/logout", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        var signedOut = await ClusterRequests.OnEveryInstanceAsync(cluster, () => client.GetAsync("/account"));
        Assert.All(signedOut, r => Assert.True(
            r.Status == HttpStatusCode.Redirect && r.Location?.Contains("/login", StringComparison.Ordinal) == true,
            $"Instance {r.Instance} answered {(int)r.Status} after sign-out."));
        foreach (var member in members)
        {
            Assert.False(await db.KeyExistsAsync(prefix + "s:" + member));
        }
    }

    [Fact]
    public async Task With_store_redis_cluster_and_no_cluster_answering_the_sample_says_how_to_start_one_and_exits()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var sample = SampleProcess.Start(SamplePaths.Cluster, ["--store", "redis-cluster", "--redis", $"127.0.0.1:{port}", "--port", "0"]);
        await sample.WaitForLineAsync("No Redis Cluster answers at 127\\.0\\.0\\.1:" + port, TimeSpan.FromSeconds(90));
        for (var i = 0; i < 300 && !sample.HasExited; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(sample.HasExited, "The launcher should exit when no cluster answers.\n" + sample.Output);
        Assert.Contains("tests/AuthKit.Sessions.Redis.Tests/cluster.sh start", sample.Output, StringComparison.Ordinal);
        Assert.Contains("redis-cli --cluster create", sample.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", sample.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", sample.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", sample.Output, StringComparison.Ordinal);
    }
}
