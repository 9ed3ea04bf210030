using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AuthKit.TestInfrastructure;

namespace AuthKit.IntegrationTests.Faults;

/// <summary>
/// An instance of the cluster sample (three instances on one Redis behind the balancer) is killed with SIGKILL while
/// signed-in users' requests are in flight: the other instances serve those users' sessions from then on, and the only
/// failures are requests the killed instance held when it died — each answered 503 with <c>Retry-After</c> by the
/// balancer, never a 500 or a 502, never a login page.
/// </summary>
public sealed class InstanceKillTests
{
    private const int Clients = 12;

    /// <summary>
    /// How long after the kill returned a request may still meet the dying instance (the kernel tears its sockets down, the
    /// balancer's pooled connections to it fail). Generous: it tells "held when it died" from "sent to a dead instance".
    /// </summary>
    private static readonly TimeSpan TeardownMargin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Users_of_an_instance_killed_mid_request_are_served_by_the_others_and_only_its_in_flight_requests_fail()
    {
        var server = await RedisTestServer.GetSharedAsync();
        Assert.SkipWhen(server.IsCluster, "Runs against a single Redis server (the Redis Cluster stage runs RedisClusterSampleTests only).");
        await using var cluster = await ClusterProcess.StartAsync("redis", server.ConnectionString, RedisTestServer.UniquePrefix("sample-kill"));
        const string victim = "B";
        Assert.True(cluster.ProcessIds.ContainsKey(victim), cluster.Output);

        // Twelve browsers, signed in as alice or bob through the balancer.
        var clients = new SampleClient[Clients];
        var users = new string[Clients];
        for (var i = 0; i < Clients; i++)
        {
            users[i] = i % 2 == 0 ? "alice" : "bob";
            clients[i] = new SampleClient(cluster.Balancer);
            using var signIn = await clients[i].SignInAsync(users[i]);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var results = new ConcurrentBag<Result>();
            using var stop = new CancellationTokenSource();
            var killedAt = TimeSpan.MaxValue;
            var load = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var started = clock.Elapsed;
                    using var response = await clients[i].GetAsync("/account");
                    var body = await response.Content.ReadAsStringAsync();
                    results.Add(new Result(i, started, clock.Elapsed, response.StatusCode, SampleClient.Instance(response),
                        response.Headers.RetryAfter?.ToString(), body.Contains($"""<code id="account-user">{users[i]}</code>""", StringComparison.Ordinal)));
                }
            })).ToList();

            // Let every client get going on every instance, then SIGKILL instance B (Process.Kill sends SIGKILL on Unix).
            for (var i = 0; i < 600 && results.Count(r => r.Instance == victim) < 3 * Clients; i++)
            {
                await Task.Delay(50);
            }

            using (var process = Process.GetProcessById(cluster.ProcessIds[victim]))
            {
                process.Kill();
                killedAt = clock.Elapsed;
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }

            // Keep the load on for a while after the kill, then stop.
            var after = clock.Elapsed;
            while (clock.Elapsed - after < TimeSpan.FromSeconds(6) || results.Count(r => r.Started > after + TeardownMargin) < 10 * Clients)
            {
                Assert.True(clock.Elapsed - after < TimeSpan.FromSeconds(90), "The load did not progress after the kill.");
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(90));

            var all = results.OrderBy(r => r.Started).ToList();
            var failed = all.Where(r => r.Status != HttpStatusCode.OK).ToList();
            var inFlightAtKill = all.Count(r => r.Started <= killedAt && r.Ended >= killedAt);
            var afterKill = all.Where(r => r.Started > killedAt + TeardownMargin).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{all.Count} requests ({all.Count(r => r.Started <= killedAt)} before the kill, {afterKill.Count} after it plus {TeardownMargin.TotalSeconds:0} s); " +
                $"{inFlightAtKill} in flight at the kill; failed: {failed.Count} ({string.Join(", ", failed.Select(f => $"{(int)f.Status} from {f.Instance} sent {(f.Started - killedAt).TotalMilliseconds:0} ms from the kill"))}); " +
                $"after the kill served by {string.Join(", ", afterKill.GroupBy(r => r.Instance).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}.");

            // The only failures: requests the dying instance held, each a 503 with Retry-After naming it.
            Assert.All(failed, f =>
            {
                Assert.True(f.Status == HttpStatusCode.ServiceUnavailable, $"A request answered {(int)f.Status} (instance {f.Instance}).\n{cluster.Output}");
                Assert.Equal(victim, f.Instance);
                Assert.Equal("1", f.RetryAfter);
                Assert.True(f.Started <= killedAt + TeardownMargin, $"A request sent {(f.Started - killedAt).TotalMilliseconds:0} ms after the kill failed.");
            });
            // Each client has one request at a time: one held by B when it died, and at most one more sent while B's sockets
            // were still being torn down (it reaches B's backlog and is reset instead of being refused).
            Assert.True(failed.Count <= 2 * Clients, $"{failed.Count} failures, more than two per client.");

            // Every other request, before and after: 200 with the same user; after the kill, only the survivors answer.
            Assert.All(all.Where(r => r.Status == HttpStatusCode.OK), r => Assert.True(r.IsSameUser, $"Client {r.Client} got someone else's page from {r.Instance}."));
            Assert.All(afterKill, r => Assert.True(r.Status == HttpStatusCode.OK && r.Instance != victim, $"After the kill, client {r.Client} got {(int)r.Status} from {r.Instance}."));
            Assert.All(Enumerable.Range(0, Clients), i => Assert.Contains(afterKill, r => r.Client == i));
            Assert.Equal(["A", "C"], afterKill.Select(r => r.Instance).Distinct().Order().ToArray());
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    private sealed record Result(int Client, TimeSpan Started, TimeSpan Ended, HttpStatusCode Status, string? Instance, string? RetryAfter, bool IsSameUser);
}
