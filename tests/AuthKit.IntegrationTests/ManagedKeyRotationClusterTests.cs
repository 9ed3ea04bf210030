using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AuthKit.Internal.Keys;
using AuthKit.Sessions.Redis;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.IntegrationTests;

/// <summary>
/// Keys for a fleet: three WebApp processes sharing a store run the managed key ring with timings in seconds. While keys rotate
/// several times, a bounded loop signs in on one instance, reads the session on the two others, and has a token issued by one
/// validated by another: no request is refused because of a key and none fails with 5xx. Afterwards the first key is deleted
/// from the store and a cookie it signed is refused.
/// </summary>
public abstract class ManagedKeyRotationClusterTests
{
    private const string AppName = "authkit-sample"; // AuthKit:ApplicationName in the sample's appsettings.json
    private static readonly TimeSpan LoopTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AuthKit__ManagedKeys__KeyLifetime"] = "00:00:06",
        ["AuthKit__ManagedKeys__PropagationDelay"] = "00:00:03",
        ["AuthKit__ManagedKeys__RefreshInterval"] = "00:00:00.500",
        ["AuthKit__ManagedKeys__RetainAfterActive"] = "00:00:01",
        ["AuthKit__Sessions__IdleTimeout"] = "00:00:10",
        ["AuthKit__Sessions__AbsoluteTimeout"] = "00:00:10",
        ["AuthKit__Sessions__SlidingRefreshInterval"] = "00:00:01",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<(ClusterProcess Cluster, ISessionStore Store)> StartAsync();

    [Fact]
    public async Task Keys_rotate_across_three_processes_with_no_request_refused_and_deleted_keys_stop_verifying()
    {
        var (cluster, store) = await StartAsync();
        await using var _ = cluster;
        var instances = cluster.Instances.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Value).ToArray();
        Assert.Equal(3, instances.Length);
        using var bare = ClusterRequests.BareClient();

        var (firstCookie, firstKid) = await SignInAsync(instances[0], "alice");
        var statuses = new ConcurrentDictionary<string, int>();
        var refusals = new ConcurrentBag<string>();
        var cookieKids = new ConcurrentDictionary<string, byte>();
        var tokenKids = new ConcurrentDictionary<string, byte>();
        var requests = 0;
        var signIns = 0;
        var until = DateTime.UtcNow + LoopTime;

        async Task Worker(int worker)
        {
            var user = worker % 2 == 0 ? "alice" : "bob";
            for (var i = 0; DateTime.UtcNow < until && i < 2_000; i++)
            {
                var a = instances[(worker + i) % 3];
                var b = instances[(worker + i + 1) % 3];
                var c = instances[(worker + i + 2) % 3];

                // Sign in on a; the session (cookie signed by a's active key) is read on b and c.
                var (cookie, kid) = await SignInAsync(a, user);
                Interlocked.Add(ref requests, 2);
                Interlocked.Increment(ref signIns);
                cookieKids.TryAdd(kid, 0);
                foreach (var other in new[] { b, c })
                {
                    using var read = await ClusterRequests.GetWithCookieAsync(bare, other, "/account", cookie);
                    Interlocked.Increment(ref requests);
                    Count(statuses, refusals, read, $"session signed by {kid} on {a}, read on {other}");
                }

                // A token issued by b validates on c.
                using var issue = await bare.PostAsJsonAsync(new Uri(b, "/api/token"), new { username = user, password = user + "-password" }, Ct);
                Interlocked.Increment(ref requests);
                Count(statuses, refusals, issue, $"token issue on {b}");
                if (issue.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                using var json = JsonDocument.Parse(await issue.Content.ReadAsStringAsync(Ct));
                var token = json.RootElement.GetProperty("access_token").GetString()!;
                tokenKids.TryAdd(TokenKid(token), 0);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(c, "/api/orders"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var orders = await bare.SendAsync(request, Ct);
                Interlocked.Increment(ref requests);
                Count(statuses, refusals, orders, $"token {TokenKid(token)} from {b}, used on {c}");
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(() => Worker(w), Ct)));

        var summary = $"{requests} requests: {signIns} sign-ins (form GET + POST, each 302 to /account), then statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; "
            + $"cookie keys {cookieKids.Count}, token keys {tokenKids.Count}; refused: {string.Join(" | ", refusals.Take(5))}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("AUTHKIT_TEST_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllTextAsync(report, $"{GetType().Name}: {summary}{Environment.NewLine}", Ct);
        }
        Assert.True(refusals.IsEmpty, summary);
        Assert.True(cookieKids.Count >= 3, "Keys did not rotate: " + summary);
        Assert.True(tokenKids.Count >= 3, "Token keys did not rotate: " + summary);
        Assert.True(requests >= 60, summary);

        // The first cookie key is deleted once nothing it signed can live (its successor's activation + the session lifetime).
        var probe = new ManagedKeySet(ManagedKeyRingNames.Cookies, "HS256", AppName, new(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), SessionLifetime), null, store, TimeProvider.System, NullLogger.Instance, null);
        for (var i = 0; i < 200 && (await StoredKidsAsync(store, probe.StoreKey)).Contains(firstKid); i++)
        {
            await Task.Delay(250, Ct);
        }

        var stored = await StoredKidsAsync(store, probe.StoreKey);
        Assert.DoesNotContain(firstKid, stored);
        Assert.InRange(stored.Count, 1, 4);
        foreach (var instance in instances)
        {
            using var refused = await ClusterRequests.GetWithCookieAsync(bare, instance, "/account", firstCookie);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/login?", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    private static void Count(ConcurrentDictionary<string, int> statuses, ConcurrentBag<string> refusals, HttpResponseMessage response, string what)
    {
        var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        statuses.AddOrUpdate(code, 1, (_, n) => n + 1);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            refusals.Add($"{what}: {code} {response.Headers.Location}");
        }
    }

    private static async Task<(string Cookie, string Kid)> SignInAsync(Uri instance, string user)
    {
        using var client = new SampleClient(instance);
        using var signIn = await client.SignInAsync(user);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = client.SessionCookie ?? throw new Xunit.Sdk.XunitException("No session cookie after sign-in on " + instance);
        var parts = session.Value.Split('~');
        return ($"{session.Name}={session.Value}", parts[1]);
    }

    private static string TokenKid(string token)
    {
        using var doc = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal))));
        return doc.RootElement.GetProperty("kid").GetString()!;
    }

    private static async Task<List<string>> StoredKidsAsync(ISessionStore store, SessionKey key)
    {
        var record = await store.GetAsync(key, Ct);
        if (record is null)
        {
            return [];
        }

        var document = JsonSerializer.Deserialize(record.Data["keys"].Span, ManagedKeyJsonContext.Default.ManagedKeyDocument)!;
        return [.. document.Keys.Select(k => k.Id)];
    }

    protected static IReadOnlyDictionary<string, string?> ClusterSettings => Settings;
}

public sealed class FileManagedKeyRotationClusterTests : ManagedKeyRotationClusterTests
{
    protected override async Task<(ClusterProcess Cluster, ISessionStore Store)> StartAsync()
    {
        var cluster = await ClusterProcess.StartAsync("file", settings: ClusterSettings);
        var store = new AuthKit.Sessions.File.FileSessionStore(
            Options.Create(new AuthKit.Sessions.File.FileSessionStoreOptions { Directory = Path.Combine(cluster.DataDirectory, "sessions") }), TimeProvider.System);
        return (cluster, store);
    }
}

public sealed class RedisManagedKeyRotationClusterTests : ManagedKeyRotationClusterTests
{
    protected override async Task<(ClusterProcess Cluster, ISessionStore Store)> StartAsync()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var prefix = RedisTestServer.UniquePrefix("managed-keys");
        var cluster = await ClusterProcess.StartAsync("redis", server.ConnectionString, prefix, settings: ClusterSettings);
        var store = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { Configuration = server.ConnectionString, KeyPrefix = prefix }), TimeProvider.System);
        return (cluster, store);
    }
}
