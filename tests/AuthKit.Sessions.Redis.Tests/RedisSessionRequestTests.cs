using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using AuthKit.Jwt;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>Whole requests through the session scheme (<c>AddSessions()</c>) on the Redis store, on a dedicated server.</summary>
public sealed partial class RedisSessionRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Raw_keys_and_values_after_sign_ins_hold_no_session_id_and_no_refresh_token()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();
        var secret = System.Security.Cryptography.SHA256.HashData("redis-store-test-hs256-secret"u8);
        await using var app = await SessionTestApp.StartAsync(
            o => o.Configuration = server.ConnectionString,
            s => s.AddAuthKit().AddJwt(o =>
            {
                o.Issuer = "https://issuer.test";
                o.Audience = "https://api.test";
                o.SigningKeys.Add(JwtSigningKey.FromSecret("k1", JwtAlgorithms.HS256, secret));
            }));

        var jars = new List<SessionTestApp.CookieJar>();
        foreach (var user in new[] { "alice", "bob", "alice" })
        {
            var jar = await app.SignInAsync(user);
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "count", jar, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode);
            jars.Add(jar);
        }

        // Signing in again on a session renews its ID: the old one must not be left behind either.
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "login/alice", jars[0], Ct)).StatusCode);

        var tokens = app.Services.GetRequiredService<ITokenService>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "test"));
        var issued = await tokens.IssueAsync(principal, new TokenIssueOptions { IncludeRefreshToken = true }, Ct);
        Assert.NotNull(issued.RefreshToken);
        var refreshed = await tokens.RefreshAsync(issued.RefreshToken, Ct);
        var secrets = jars.SelectMany(j => j.Seen).Append(issued.RefreshToken).ToList();
        if (refreshed.Tokens?.RefreshToken is { } rotated)
        {
            secrets.Add(rotated);
        }

        await using var connection = await server.ConnectAsync();
        var dump = await RedisTestStores.DumpAsync(connection, prefix: "");
        var prefix = "authkit:" + app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthKitOptions>>().Value.ApplicationName + ":";
        Assert.Contains(dump, e => e.Key.StartsWith(prefix + "s:", StringComparison.Ordinal));
        Assert.Contains(dump, e => e.Key == prefix + "u:{" + SessionStoreKeys.SlotTag("alice") + "}alice" && e.Type == RedisType.Set);
        var blobs = RedisTestStores.Flatten(dump);

        var digestsFound = 0;
        foreach (var value in secrets)
        {
            foreach (var part in SecretParts(value))
            {
                foreach (var form in Encodings(part))
                {
                    Assert.DoesNotContain(blobs, b => b.AsSpan().IndexOf(form) >= 0);
                }

                // What is stored is the digest: the record key of a cookie's ID is present (the test looks at the right thing).
                var digest = Convert.ToHexStringLower(SessionKey.FromSessionId(part).ToArray());
                if (dump.Any(e => e.Key.EndsWith(digest, StringComparison.Ordinal)))
                {
                    digestsFound++;
                }
            }
        }

        Assert.True(digestsFound >= 3, $"Expected the record keys of the live sessions and refresh tokens, found {digestsFound}.");
    }

    [Fact]
    public async Task Stopping_redis_under_load_gives_bounded_503s_and_the_same_app_serves_sessions_after_restart()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();
        await using var app = await SessionTestApp.StartAsync(
            o =>
            {
                o.Configuration = server.ConnectionString;
                o.OperationTimeout = TimeSpan.FromSeconds(1);
                o.ConnectTimeout = TimeSpan.FromSeconds(1);
            },
            storeTimeout: TimeSpan.FromSeconds(1));
        var jars = new List<SessionTestApp.CookieJar>();
        for (var i = 0; i < 4; i++)
        {
            jars.Add(await app.SignInAsync("user-" + i));
        }

        var before = await LoadAsync(app, jars, requestsPerClient: 10);
        Assert.All(before, r => Assert.Equal(HttpStatusCode.OK, r.Status));

        await server.StopAsync();
        var during = await LoadAsync(app, jars, requestsPerClient: 10);
        Assert.All(during, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        TestContext.Current.TestOutputHelper?.WriteLine($"Redis down: {during.Count} requests, all 503, slowest {during.Max(r => r.Elapsed).TotalMilliseconds:0} ms (StoreTimeout 1000 ms).");

        await server.StartAsync();

        // The restarted server kept nothing (--save ''): the same app, without a restart, signs users in and serves their sessions again.
        var clock = Stopwatch.StartNew();
        SessionTestApp.CookieJar? fresh = null;
        while (fresh is null)
        {
            var jar = new SessionTestApp.CookieJar();
            var response = await app.SendAsync(HttpMethod.Post, "login/again", jar, Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                fresh = jar;
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The store did not recover within a minute of Redis coming back.");
                await Task.Delay(100, Ct);
            }
        }

        var after = await LoadAsync(app, [fresh], requestsPerClient: 5);
        Assert.All(after, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal("3", await (await app.SendAsync(HttpMethod.Post, "count", fresh, Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Get, "me", jars[0], Ct)).StatusCode);
    }

    [Fact]
    public async Task Unresponsive_redis_gives_503_within_the_store_timeout_and_sessions_resume_when_it_answers()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();
        Assert.SkipUnless(server.CanPause, "Freezing the server needs a redis-server child process (Garnet runs inside the test process).");
        await using var app = await SessionTestApp.StartAsync(
            o =>
            {
                o.Configuration = server.ConnectionString;
                o.OperationTimeout = TimeSpan.FromSeconds(1);
            },
            storeTimeout: TimeSpan.FromSeconds(1));
        var jars = new List<SessionTestApp.CookieJar> { await app.SignInAsync("frozen-1"), await app.SignInAsync("frozen-2") };
        Assert.All(await LoadAsync(app, jars, requestsPerClient: 2), r => Assert.Equal(HttpStatusCode.OK, r.Status));

        List<Outcome> during;
        await server.PauseAsync();
        try
        {
            during = await LoadAsync(app, jars, requestsPerClient: 3);
        }
        finally
        {
            await server.ResumeAsync();
        }

        Assert.All(during, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        TestContext.Current.TestOutputHelper?.WriteLine($"Redis frozen: {during.Count} requests, all 503, slowest {during.Max(r => r.Elapsed).TotalMilliseconds:0} ms (StoreTimeout 1000 ms).");

        // The server only paused, so the sessions are still there once it answers again.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await app.SendAsync(HttpMethod.Get, "me", jars[0], Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("frozen-1", await response.Content.ReadAsStringAsync(Ct));
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "Sessions did not come back within a minute of Redis answering again.");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Unchanged_session_request_is_one_round_trip_and_a_changed_one_two()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();

        // The app's own connection, profiled: every command it sends is one round trip (the store awaits each in turn).
        await using var appConnection = await server.ConnectAsync();
        ProfilingSession? profiling = null;
        appConnection.RegisterProfiler(() => profiling);
        await using var app = await SessionTestApp.StartAsync(_ => { }, s => s.AddSingleton(appConnection));
        await using var admin = await server.ConnectAsync();
        var redis = admin.GetServer(admin.GetEndPoints()[0]);

        var jar = await app.SignInAsync("alice");
        // Warm up: the first use of each script loads it into the server's script cache.
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "count", jar, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode);

        async Task<(List<string> Sent, Dictionary<string, long> Executed)> MeasureAsync(Func<Task> request)
        {
            var session = new ProfilingSession();
            profiling = session;
            var executed = await CountCommandsAsync(redis, request);
            profiling = null;
            var sent = session.FinishProfiling().Select(c => c.Command.ToLowerInvariant()).Where(c => !Housekeeping.Contains(c)).ToList();
            return (sent, executed);
        }

        var unchanged = await MeasureAsync(async () =>
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "me", jar, Ct)).StatusCode));
        var changed = await MeasureAsync(async () =>
            Assert.Equal("2", await (await app.SendAsync(HttpMethod.Post, "count", jar, Ct)).Content.ReadAsStringAsync(Ct)));

        var report = $"{server.Kind}: unchanged sent [{string.Join(", ", unchanged.Sent)}], executed [{Describe(unchanged.Executed)}]; " +
            $"changed sent [{string.Join(", ", changed.Sent)}], executed [{Describe(changed.Executed)}]";
        TestContext.Current.TestOutputHelper?.WriteLine(report);

        // Client side (StackExchange.Redis profiler): the round trips.
        Assert.True(unchanged.Sent is ["hget"], report);
        Assert.True(changed.Sent.Count is >= 1 and <= 2, report);

        // Server side (INFO commandstats, which also counts the commands a script runs): the unchanged request ran one HGET
        // and nothing else; the changed one ran one script (the version check and every write inside it).
        Assert.True(unchanged.Executed.Count == 1 && unchanged.Executed.GetValueOrDefault("hget") == 1, report);
        Assert.True(changed.Executed.GetValueOrDefault("evalsha") + changed.Executed.GetValueOrDefault("eval") == 1, report);
    }

    internal static string Describe(Dictionary<string, long> commands) => string.Join(", ", commands.Select(c => $"{c.Key}×{c.Value}"));

    /// <summary>
    /// The commands the server executed while <paramref name="action"/> ran, from <c>INFO commandstats</c> before and
    /// after; connection housekeeping (heartbeats, INFO itself, CLIENT, HELLO, SUBSCRIBE) is left out, and so is replication
    /// traffic (a replica's <c>REPLCONF ACK</c> every second counts on its primary, in the middle of a measurement).
    /// </summary>
    internal static Task<Dictionary<string, long>> CountCommandsAsync(IServer redis, Func<Task> action) => CountCommandsAsync([redis], action);

    /// <summary>The same, summed over several servers (the primaries of a cluster).</summary>
    internal static async Task<Dictionary<string, long>> CountCommandsAsync(IReadOnlyList<IServer> servers, Func<Task> action)
    {
        var before = await SumCommandStatsAsync(servers);
        await action();
        var after = await SumCommandStatsAsync(servers);
        return after
            .Select(p => (p.Key, Calls: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Calls > 0 && !Housekeeping.Contains(p.Key.Split('|')[0]))
            .ToDictionary(p => p.Key, p => p.Calls);
    }

    internal static readonly HashSet<string> Housekeeping = ["info", "ping", "echo", "client", "hello", "subscribe", "cluster", "config", "auth", "select", "command", "readonly", "replconf", "psync", "sync"];

    private static async Task<Dictionary<string, long>> SumCommandStatsAsync(IReadOnlyList<IServer> servers)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            foreach (var (command, calls) in await ReadCommandStatsAsync(server))
            {
                sum[command] = sum.GetValueOrDefault(command) + calls;
            }
        }

        return sum;
    }

    private static async Task<Dictionary<string, long>> ReadCommandStatsAsync(IServer redis)
    {
        var text = await redis.InfoRawAsync("commandstats") ?? "";
        var stats = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in CommandStat().Matches(text))
        {
            stats[m.Groups[1].Value.ToLowerInvariant()] = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        Assert.True(stats.Count > 0, "INFO commandstats returned nothing: the server does not track command statistics.");
        return stats;
    }

    [GeneratedRegex(@"cmdstat_([^:]+):calls=(\d+)")]
    private static partial Regex CommandStat();

    private sealed record Outcome(HttpStatusCode Status, TimeSpan Elapsed);

    /// <summary>Each client runs <paramref name="requestsPerClient"/> requests (alternating read and write) at the same time as the others.</summary>
    private static async Task<List<Outcome>> LoadAsync(SessionTestApp app, IReadOnlyList<SessionTestApp.CookieJar> jars, int requestsPerClient)
    {
        var results = await Task.WhenAll(jars.Select(jar => Task.Run(async () =>
        {
            var outcomes = new List<Outcome>();
            for (var i = 0; i < requestsPerClient; i++)
            {
                var clock = Stopwatch.StartNew();
                // The bound only catches a request that hangs; it is far above the 1 s store timeout.
                using var hang = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                hang.CancelAfter(TimeSpan.FromSeconds(30));
                using var response = await app.SendAsync(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Post, i % 2 == 0 ? "me" : "count", jar, hang.Token);
                outcomes.Add(new Outcome(response.StatusCode, clock.Elapsed));
            }

            return outcomes;
        }, Ct)));
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>The pieces of a cookie value or token that could be a secret ID (base64url runs of 22+ characters).</summary>
    private static IEnumerable<string> SecretParts(string value)
        => SecretRun().Matches(Uri.UnescapeDataString(value)).Select(m => m.Value).Distinct();

    // An ID issued for a user ends with '.' and the user's slot tag: the whole ID is what the store digests.
    [GeneratedRegex("[A-Za-z0-9_-]{22,}(\\.[0-9a-f]{4})?")]
    private static partial Regex SecretRun();

    /// <summary>The forms a secret could be stored in: its text, its decoded bytes, and their hex.</summary>
    private static IEnumerable<byte[]> Encodings(string part)
    {
        yield return Encoding.UTF8.GetBytes(part);
        var random = part.Split('.')[0];
        yield return Encoding.UTF8.GetBytes(random);
        byte[] raw;
        try
        {
            raw = Base64Url.DecodeFromChars(random);
        }
        catch (FormatException)
        {
            yield break;
        }

        if (raw.Length >= 16)
        {
            yield return raw;
            yield return Encoding.UTF8.GetBytes(Convert.ToHexString(raw));
            yield return Encoding.UTF8.GetBytes(Convert.ToHexStringLower(raw));
        }
    }
}
