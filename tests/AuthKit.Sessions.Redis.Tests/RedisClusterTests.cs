using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>
/// Sessions on a real Redis Cluster. They run when <c>AUTHKIT_TEST_REDIS_CLUSTER</c> is set: the replication test on that
/// shared cluster, the round-trip count (server-wide command statistics) and the failover (a primary is killed) on a
/// private cluster that <c>cluster.sh</c> starts on free ports, so no other test disturbs them or is disturbed.
/// </summary>
public sealed class RedisClusterTests(DedicatedRedisClusterFixture fixture) : IClassFixture<DedicatedRedisClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void SkipUnlessClusterTestsWanted()
        => Assert.SkipUnless(
            Environment.GetEnvironmentVariable(RedisTestServer.ClusterEnvironmentVariable) is { Length: > 0 } && DedicatedRedisCluster.CanStart,
            $"Cluster tests run when {RedisTestServer.ClusterEnvironmentVariable} is set and redis-server and redis-cli are on PATH (see cluster.sh).");

    private static string Output(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        return line;
    }

    [Fact]
    public async Task Session_request_on_the_cluster_is_one_round_trip_unchanged_and_two_changed_with_every_key_in_the_users_slot()
    {
        SkipUnlessClusterTestsWanted();
        var cluster = await fixture.GetAsync();
        var prefix = RedisTestServer.UniquePrefix("ak-cluster-rt");
        await using IConnectionMultiplexer appConnection = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration + ",allowAdmin=true,abortConnect=false,connectTimeout=5000");
        ProfilingSession? profiling = null;
        appConnection.RegisterProfiler(() => profiling);
        await using var app = await SessionTestApp.StartAsync(o => o.KeyPrefix = prefix, s => s.AddSingleton(appConnection));
        var primaries = appConnection.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToList();
        Assert.True(primaries.Count >= 3, $"Expected the 3 primaries of the test cluster, found {primaries.Count}.");

        var jar = await app.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "count", jar, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode);

        async Task<(List<string> Sent, Dictionary<string, long> Executed)> MeasureAsync(Func<Task> request)
        {
            var session = new ProfilingSession();
            profiling = session;
            var executed = await RedisSessionRequestTests.CountCommandsAsync(primaries, request);
            profiling = null;
            var sent = session.FinishProfiling().Select(c => c.Command.ToLowerInvariant()).Where(c => !RedisSessionRequestTests.Housekeeping.Contains(c)).ToList();
            return (sent, executed);
        }

        var unchanged = await MeasureAsync(async () => Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode));
        var changed = await MeasureAsync(async () => Assert.Equal("2", await (await app.SendAsync(HttpMethod.Post, "count", jar, Ct)).Content.ReadAsStringAsync(Ct)));
        var report = Output($"cluster: unchanged sent [{string.Join(", ", unchanged.Sent)}], executed [{RedisSessionRequestTests.Describe(unchanged.Executed)}]; " +
            $"changed sent [{string.Join(", ", changed.Sent)}], executed [{RedisSessionRequestTests.Describe(changed.Executed)}]");
        Assert.True(unchanged.Sent is ["hget"], report);
        Assert.True(changed.Sent.Count is >= 1 and <= 2, report);
        Assert.True(unchanged.Executed.Count == 1 && unchanged.Executed.GetValueOrDefault("hget") == 1, report);
        Assert.True(changed.Executed.GetValueOrDefault("evalsha") + changed.Executed.GetValueOrDefault("eval") == 1, report);

        // Every key of alice (her session, her index) hashes to one slot, the one her tag names.
        var keys = new List<string>();
        foreach (var primary in primaries)
        {
            await foreach (var key in primary.KeysAsync(pattern: prefix + "*"))
            {
                keys.Add(key!);
            }
        }

        Assert.Contains(keys, k => k.StartsWith(prefix + "u:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith(prefix + "s:", StringComparison.Ordinal));
        var slots = keys.Select(k => appConnection.GetHashSlot(k)).Distinct().ToList();
        Assert.Equal([appConnection.GetHashSlot("{" + SessionStoreKeys.SlotTag("alice") + "}")], slots);
        Assert.Equal(1, await app.Services.GetRequiredService<ISessionStore>().RemoveByUserAsync("alice", Ct));
    }

    [Fact]
    public async Task Killing_a_primary_under_load_gives_bounded_503s_and_keeps_every_replicated_session()
    {
        SkipUnlessClusterTestsWanted();
        var cluster = await fixture.GetAsync();
        var storeTimeout = TimeSpan.FromSeconds(1);
        await using var app = await SessionTestApp.StartAsync(
            o =>
            {
                o.Configuration = cluster.Configuration;
                o.OperationTimeout = storeTimeout;
                o.ConnectTimeout = TimeSpan.FromSeconds(1);
            },
            storeTimeout: storeTimeout);

        // 100 users, then wait until every replica has everything its primary acknowledged.
        var users = Enumerable.Range(0, 100).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var jars = new Dictionary<string, SessionTestApp.CookieJar>();
        foreach (var user in users)
        {
            jars[user] = await app.SignInAsync(user);
        }

        await using var admin = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration + ",allowAdmin=true,connectTimeout=2000");
        await WaitForReplicasAsync(admin);

        // The victim: the primary that owns the first port's slots (0-5460 at creation), with the users filed there.
        var victimPort = cluster.FirstPort;
        var victim = admin.GetServer("127.0.0.1", victimPort);
        var onVictim = users.Where(u => admin.GetServer((RedisKey)("{" + SessionStoreKeys.SlotTag(u) + "}")).EndPoint.ToString() == victim.EndPoint.ToString()).ToList();
        Assert.NotEmpty(onVictim);

        var outcomes = new ConcurrentBag<(string User, HttpStatusCode Status, TimeSpan Elapsed, long At)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; !stop.IsCancellationRequested; i += 4)
            {
                var user = users[i % users.Count];
                var started = clock.Elapsed;
                using var hang = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                hang.CancelAfter(TimeSpan.FromSeconds(30));
                HttpStatusCode status;
                try
                {
                    using var response = await app.SendAsync(HttpMethod.Get, "me", jars[user], hang.Token);
                    status = response.StatusCode;
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    status = HttpStatusCode.GatewayTimeout; // hung past 30 s: fails the test below
                }

                outcomes.Add((user, status, clock.Elapsed - started, (long)clock.Elapsed.TotalMilliseconds));
            }
        }, Ct)).ToList();

        await Task.Delay(1000, Ct);
        var killedAt = clock.Elapsed;
        cluster.Kill(victimPort);

        // Served again: every user on the dead primary answered 200 after the kill, within a bound.
        var recovered = TimeSpan.Zero;
        while (clock.Elapsed - killedAt < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(200, Ct);
            var afterKill = outcomes.Where(o => o.At > (long)killedAt.TotalMilliseconds).ToList();
            var lastFailure = afterKill.Where(o => o.Status != HttpStatusCode.OK).Select(o => o.At).DefaultIfEmpty(0).Max();
            if (onVictim.All(u => afterKill.Any(o => o.User == u && o.Status == HttpStatusCode.OK && o.At > lastFailure)))
            {
                recovered = clock.Elapsed - killedAt;
                break;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var all = outcomes.ToList();
        var during = all.Where(o => o.At > (long)killedAt.TotalMilliseconds).ToList();
        var report = Output(
            $"failover: {all.Count} requests, {during.Count} after the kill: {during.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} × 503, " +
            $"{during.Count(o => o.Status == HttpStatusCode.OK)} × 200, other {during.Count(o => o.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))}; " +
            $"longest answer {all.Max(o => o.Elapsed).TotalMilliseconds:0} ms (store timeout {storeTimeout.TotalMilliseconds:0} ms); " +
            $"served again {recovered.TotalSeconds:0.0} s after the kill; {onVictim.Count} of {users.Count} users on the killed primary");

        Assert.True(recovered > TimeSpan.Zero, "Sessions on the killed primary were not served again within 90 s. " + report);
        Assert.All(all, o => Assert.True(o.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{o.User}: {(int)o.Status}. {report}"));
        Assert.All(all, o => Assert.True(o.Elapsed < storeTimeout * 4, $"{o.User} waited {o.Elapsed.TotalMilliseconds:0} ms. {report}"));

        // Every session acknowledged (and replicated) before the kill is still valid after the failover.
        foreach (var user in users)
        {
            using var response = await app.SendAsync(HttpMethod.Get, "me", jars[user], Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(user, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task On_the_cluster_a_users_refresh_family_shares_the_users_slot_rotates_and_sign_out_everywhere_revokes_it()
    {
        var server = await RedisTestServer.GetSharedAsync();
        Assert.SkipUnless(server.IsCluster, $"Needs a Redis Cluster: set {RedisTestServer.ClusterEnvironmentVariable} (see cluster.sh).");
        var prefix = RedisTestServer.UniquePrefix("ak-cluster-jwt");
        await using var connection = await server.ConnectAsync();
        var secret = System.Security.Cryptography.SHA256.HashData("redis-cluster-test-hs256-secret"u8);
        await using var app = await SessionTestApp.StartAsync(
            o => o.KeyPrefix = prefix,
            s => s.AddSingleton(connection).AddAuthKit().AddJwt(o =>
            {
                o.Issuer = "https://issuer.test";
                o.Audience = "https://api.test";
                o.SigningKeys.Add(AuthKit.Jwt.JwtSigningKey.FromSecret("k1", AuthKit.Jwt.JwtAlgorithms.HS256, secret));
            }));

        var jar = await app.SignInAsync("alice");
        var tokens = app.Services.GetRequiredService<ITokenService>();
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "alice")], "test"));
        var issued = await tokens.IssueAsync(principal, new TokenIssueOptions { IncludeRefreshToken = true }, Ct);
        var refreshed = await tokens.RefreshAsync(issued.RefreshToken!, Ct);
        Assert.True(refreshed.Succeeded, $"Refresh on the cluster failed: {refreshed.Error}.");
        var rotated = refreshed.Tokens!.RefreshToken!;

        // Her two records (the session, the refresh family) are in her index, and every key of hers hashes to her slot.
        var tag = "{" + SessionStoreKeys.SlotTag("alice") + "}";
        var db = connection.GetDatabase();
        var members = (await db.SetMembersAsync(prefix + "u:" + tag + "alice")).Select(m => (string)m!).ToList();
        Assert.Equal(2, members.Count);
        foreach (var member in members)
        {
            Assert.True(await db.KeyExistsAsync(prefix + "s:" + member), $"{member} is indexed but has no record.");
            Assert.Equal(connection.GetHashSlot(tag), connection.GetHashSlot(prefix + "s:" + member));
        }

        // Sign-out everywhere: one atomic script in alice's slot ends the session and the family.
        Assert.Equal(2, await app.Services.GetRequiredService<ISessionStore>().RemoveByUserAsync("alice", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode);
        Assert.False((await tokens.RefreshAsync(rotated, Ct)).Succeeded);
        Assert.Empty(await db.SetMembersAsync(prefix + "u:" + tag + "alice"));
    }

    [Fact]
    public async Task With_ReplicasToAcknowledgeRemovals_a_removal_is_on_the_replica_when_the_call_returns()
    {
        var server = await RedisTestServer.GetSharedAsync();
        Assert.SkipUnless(server.IsCluster, $"Needs a Redis Cluster: set {RedisTestServer.ClusterEnvironmentVariable} (see cluster.sh).");
        await using var connection = await server.ConnectAsync();
        ProfilingSession? profiling = null;
        connection.RegisterProfiler(() => profiling);
        var db = connection.GetDatabase();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        const int Removals = 50;

        async Task<(int StillOnReplica, double MeanMs, int Waits)> MeasureAsync(int replicas)
        {
            var options = RedisTestStores.Options(configure: o => o.ReplicasToAcknowledgeRemovals = replicas);
            await using var store = new RedisSessionStore(Microsoft.Extensions.Options.Options.Create(options), time, connection);
            profiling = new ProfilingSession();
            var stillOnReplica = 0;
            var elapsed = TimeSpan.Zero;
            for (var i = 0; i < Removals; i++)
            {
                var user = "wait-" + i.ToString(CultureInfo.InvariantCulture);
                var now = time.GetUtcNow();
                var record = new SessionRecord
                {
                    Key = SessionKey.FromSessionId(SessionIds.Create(user)),
                    UserId = user,
                    CreatedAt = now,
                    LastSeenAt = now,
                    IdleExpiresAt = now.AddMinutes(20),
                    AbsoluteExpiresAt = now.AddHours(8),
                };
                Assert.True(await store.CreateAsync(record, Ct));
                var clock = Stopwatch.StartNew();
                Assert.True(await store.RemoveAsync(record.Key, Ct));
                elapsed += clock.Elapsed;
                if (await db.KeyExistsAsync(store.RecordKey(record.Key), CommandFlags.DemandReplica))
                {
                    stillOnReplica++;
                }
            }

            var waits = profiling.FinishProfiling().Count(c => string.Equals(c.Command, "WAIT", StringComparison.OrdinalIgnoreCase));
            profiling = null;
            return (stillOnReplica, elapsed.TotalMilliseconds / Removals, waits);
        }

        var without = await MeasureAsync(0);
        var with = await MeasureAsync(1);
        Output($"removal on the cluster: without WAIT {without.StillOnReplica} of {Removals} records still on the replica when RemoveAsync returned, " +
            $"{without.MeanMs:0.00} ms each; with ReplicasToAcknowledgeRemovals = 1: {with.StillOnReplica}, {with.MeanMs:0.00} ms each");
        Assert.Equal(0, without.Waits);
        Assert.Equal(Removals, with.Waits);
        Assert.Equal(0, with.StillOnReplica);
    }

    /// <summary>Waits until every replica's offset has caught up with its primary's, as <c>INFO replication</c> reports them.</summary>
    private static async Task WaitForReplicasAsync(IConnectionMultiplexer admin)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var primary in admin.GetServers().Where(s => !s.IsReplica))
        {
            while (true)
            {
                var info = (await primary.InfoRawAsync("replication"))!;
                var lines = info.Split('\n').Select(l => l.Trim()).ToList();
                var offset = long.Parse(lines.First(l => l.StartsWith("master_repl_offset:", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);
                var replicas = lines.Where(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains("offset=", StringComparison.Ordinal)).ToList();
                if (replicas.Count > 0 && replicas.All(r => long.Parse(r.Split("offset=")[1].Split(',')[0], CultureInfo.InvariantCulture) >= offset))
                {
                    break;
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "Replicas did not catch up within 30 s.");
                await Task.Delay(50, Ct);
            }
        }
    }
}
