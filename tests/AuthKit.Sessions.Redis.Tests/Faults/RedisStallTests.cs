using System.Diagnostics;
using System.Globalization;
using System.Net;
using AuthKit.TestInfrastructure;

namespace AuthKit.Sessions.Redis.Tests.Faults;

/// <summary>
/// The store stalls: Redis behind a <see cref="StallingTcpProxy"/> that delays, blackholes, half-closes or resets its
/// connections while 64 signed-in requests are in flight on a real Kestrel host. Every request is answered within the
/// session scheme's <c>StoreTimeout</c> plus a margin, with 503 and <c>Retry-After</c> (never a 500, never a hang, never an
/// anonymous user); an endpoint that does not touch the store keeps answering meanwhile (no thread-pool starvation); once
/// the proxy passes again, the same sessions are served with their data, without a restart.
/// </summary>
[Collection(SocketFaultsCollection.Name)]
public sealed class RedisStallTests
{
    private const int Sessions = 64;
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(1);

    // Generous on purpose: it tells a bounded answer from a hang on a loaded 2-core machine, it does not time the store.
    private static readonly TimeSpan AnswerBound = StoreTimeout + TimeSpan.FromSeconds(5);

    [Fact]
    public Task A_store_answering_later_than_StoreTimeout_gives_503_in_bounded_time_and_recovers() =>
        StallAsync("delay 3 s", p => p.DelayBy(TimeSpan.FromSeconds(3)));

    [Fact]
    public Task A_blackholed_store_gives_503_in_bounded_time_and_recovers() =>
        StallAsync("blackhole", p => p.Blackhole());

    [Fact]
    public Task A_half_closed_store_connection_gives_503_in_bounded_time_and_recovers() =>
        StallAsync("half-close", p => p.HalfClose());

    [Fact]
    public Task A_reset_store_connection_gives_503_in_bounded_time_and_recovers() =>
        StallAsync("reset", p => p.Reset());

    private static async Task StallAsync(string name, Action<StallingTcpProxy> stall)
    {
        var server = await RedisTestServer.GetSharedAsync();
        Assert.SkipWhen(server.IsCluster, "A Redis Cluster redirects clients to its other nodes, past the proxy: the stall tests run against a single server.");
        await using var proxy = StallingTcpProxy.Start(server);
        await using var host = await StallHost.StartAsync(proxy.ConnectionString, RedisTestServer.UniquePrefix("stall"), StoreTimeout);

        // 64 users, each signed in with one write in the session's data bag, through the proxy while it passes.
        var jars = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async i =>
        {
            var jar = await host.SignInAsync("user" + i.ToString(CultureInfo.InvariantCulture));
            using var count = await host.SendAsync(HttpMethod.Post, "/count", jar);
            Assert.Equal(HttpStatusCode.OK, count.StatusCode);
            Assert.Equal("1", await count.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            return jar;
        }));

        stall(proxy);

        // Every session at once, half reading, half writing, while /healthz is asked again and again.
        using var burstDone = new CancellationTokenSource();
        var health = PingHealthAsync(host, burstDone.Token);
        var burst = await Task.WhenAll(jars.Select(async (jar, i) =>
        {
            var clock = Stopwatch.StartNew();
            using var response = await host.SendAsync(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Post, i % 2 == 0 ? "/me" : "/count", jar);
            return (Status: response.StatusCode, RetryAfter: response.Headers.RetryAfter?.ToString(), Elapsed: clock.Elapsed);
        }));
        await burstDone.CancelAsync();
        var pings = await health;

        var recovery = Stopwatch.StartNew();
        proxy.Pass();

        // The same sessions, with their data, once the store answers again: the cookie the client already holds works.
        await Task.WhenAll(jars.Select(async (jar, i) =>
        {
            var user = "user" + i.ToString(CultureInfo.InvariantCulture);
            await EventuallyOkAsync(host, jar, user);
            using var count = await host.SendAsync(HttpMethod.Post, "/count", jar);
            Assert.Equal(HttpStatusCode.OK, count.StatusCode);
            Assert.Equal("2", await count.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));
        recovery.Stop();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{name}: {burst.Length} requests, statuses {string.Join(", ", burst.GroupBy(b => (int)b.Status).Select(g => $"{g.Key}×{g.Count()}"))}, " +
            $"answered in {burst.Min(b => b.Elapsed).TotalMilliseconds:0}–{burst.Max(b => b.Elapsed).TotalMilliseconds:0} ms " +
            $"(StoreTimeout {StoreTimeout.TotalMilliseconds:0} ms); /healthz answered {pings.Count}× during the burst, slowest " +
            $"{pings.Max().TotalMilliseconds:0} ms; all {Sessions} sessions served again {recovery.Elapsed.TotalMilliseconds:0} ms after the proxy passed.");

        Assert.All(burst, b =>
        {
            Assert.True(b.Status == HttpStatusCode.ServiceUnavailable, $"{name}: a request answered {(int)b.Status}, not 503.");
            Assert.Equal("1", b.RetryAfter);
            Assert.True(b.Elapsed < AnswerBound, $"{name}: a request took {b.Elapsed.TotalMilliseconds:0} ms (bound {AnswerBound.TotalMilliseconds:0} ms).");
        });
        Assert.NotEmpty(pings);
        Assert.All(pings, p => Assert.True(p < AnswerBound, $"{name}: /healthz took {p.TotalMilliseconds:0} ms while the store stalled."));
    }

    /// <summary>Asks <c>/healthz</c> until <paramref name="stop"/> (at least once); every answer must be 200.</summary>
    private static async Task<List<TimeSpan>> PingHealthAsync(StallHost host, CancellationToken stop)
    {
        var times = new List<TimeSpan>();
        do
        {
            var clock = Stopwatch.StartNew();
            using var response = await host.SendAsync(HttpMethod.Get, "/healthz", jar: null);
            times.Add(clock.Elapsed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
        while (!stop.IsCancellationRequested);

        return times;
    }

    /// <summary>GET /me until it answers 200 with <paramref name="user"/> (503 while the client reconnects), for at most a minute.</summary>
    private static async Task EventuallyOkAsync(StallHost host, SessionTestApp.CookieJar jar, string user)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var me = await host.SendAsync(HttpMethod.Get, "/me", jar);
            if (me.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(user, await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                return;
            }

            Assert.True(me.StatusCode == HttpStatusCode.ServiceUnavailable, $"{user}: /me answered {(int)me.StatusCode} while the store recovered.");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{user}: the session was not served again within 60 s of the proxy passing.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
