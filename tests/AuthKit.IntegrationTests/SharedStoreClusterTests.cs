using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthKit.IntegrationTests;

/// <summary>
/// The solution: with a store every instance shares (file, Redis), a user signed in through the balancer stays signed in
/// whichever instance serves the next request, and sign-out takes effect on all of them.
/// </summary>
public abstract partial class SharedStoreClusterTests(ClusterFixture fixture)
{
    private ClusterProcess Cluster => fixture.Cluster;

    [Fact]
    public async Task A_user_signed_in_through_the_balancer_stays_signed_in_on_every_instance()
    {
        using var client = new SampleClient(Cluster.Balancer);
        using var signIn = await client.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location?.OriginalString);

        var responses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => client.GetAsync("/account"));

        Assert.All(responses, r =>
        {
            Assert.True(r.Status == HttpStatusCode.OK, $"Instance {r.Instance} answered {(int)r.Status} (Location: {r.Location}).");
            Assert.Contains("""<code id="account-user">alice</code>""", r.Body, StringComparison.Ordinal);
            Assert.Contains($"Served by instance <b>{r.Instance}</b>", r.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_cart_in_HttpContext_Session_is_the_same_on_every_instance()
    {
        using var client = new SampleClient(Cluster.Balancer);
        using (var signIn = await client.SignInAsync("alice"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using (var add = await client.PostFormAsync("/account", "/cart/add", [new("item", "Tea")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        }

        using (var add = await client.PostFormAsync("/account", "/cart/add", [new("item", "Croissant")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        }

        var responses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => client.GetAsync("/account"));
        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Contains("<li>Tea</li><li>Croissant</li>", r.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_every_instance_even_for_a_replayed_cookie()
    {
        using var client = new SampleClient(Cluster.Balancer);
        using (var signIn = await client.SignInAsync("alice"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var cookieName = client.SessionCookie?.Name;
        Assert.NotNull(cookieName);
        var stolen = client.CookieHeader;

        using (var signOut = await client.PostFormAsync("/account", "/logout", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            // The browser is told to drop the cookie...
            var setCookie = signOut.Headers.GetValues("Set-Cookie").FirstOrDefault(v => v.StartsWith(cookieName + "=", StringComparison.Ordinal));
            Assert.NotNull(setCookie);
            Assert.Contains("expires=Thu, 01 Jan 1970", setCookie, StringComparison.OrdinalIgnoreCase);
        }

        // ...and the server forgot the session: a copy of the old cookie is refused by every instance.
        using var bare = ClusterRequests.BareClient();
        var responses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => ClusterRequests.GetWithCookieAsync(bare, Cluster.Balancer, "/account", stolen));
        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.Redirect && r.Location!.Contains("/login", StringComparison.Ordinal), $"Instance {r.Instance} answered {(int)r.Status}."));
    }

    [Fact]
    public async Task Sign_out_everywhere_signs_out_every_device_on_every_instance()
    {
        using var laptop = new SampleClient(Cluster.Balancer);
        using var phone = new SampleClient(Cluster.Balancer);
        using (var a = await laptop.SignInAsync("bob"))
        using (var b = await phone.SignInAsync("bob"))
        {
            Assert.Equal(HttpStatusCode.Redirect, a.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, b.StatusCode);
        }

        using (var sessions = await phone.GetAsync("/sessions"))
        {
            var html = await sessions.Content.ReadAsStringAsync();
            Assert.True(HandleRegex().Matches(html).Count >= 2, "Both devices are listed:\n" + html);
        }

        using (var everywhere = await phone.PostFormAsync("/sessions", "/sessions/revoke-all", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
            Assert.Equal("/?signedout=everywhere", everywhere.Headers.Location?.OriginalString);
        }

        var responses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => laptop.GetAsync("/account"));
        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.Redirect && r.Location!.Contains("/login", StringComparison.Ordinal), $"Instance {r.Instance} answered {(int)r.Status}."));
    }

    [Fact]
    public async Task Revoking_another_session_signs_that_device_out_on_every_instance_and_keeps_this_one()
    {
        using var laptop = new SampleClient(Cluster.Balancer);
        using var phone = new SampleClient(Cluster.Balancer);
        using (var a = await laptop.SignInAsync("alice"))
        using (var b = await phone.SignInAsync("alice"))
        {
            Assert.Equal(HttpStatusCode.Redirect, a.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, b.StatusCode);
        }

        // The phone's own handle, as its "your sessions" page shows it; the laptop revokes it from its own page.
        var other = await CurrentHandleAsync(phone);
        var mine = await CurrentHandleAsync(laptop);
        Assert.NotEqual(mine, other);
        using (var list = await laptop.GetAsync("/sessions"))
        {
            Assert.Contains(other, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var revoke = await laptop.PostFormAsync("/sessions", "/sessions/revoke", [new("handle", other)]))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
            Assert.Equal("/sessions", revoke.Headers.Location?.OriginalString);
        }

        var phoneResponses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => phone.GetAsync("/account"));
        Assert.All(phoneResponses, r => Assert.True(SampleClientIsLogin(r.Status, r.Location), $"Phone, instance {r.Instance}: {(int)r.Status}."));
        var laptopResponses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => laptop.GetAsync("/account"));
        Assert.All(laptopResponses, r => Assert.True(r.Status == HttpStatusCode.OK, $"Laptop, instance {r.Instance}: {(int)r.Status}."));
    }

    [Fact]
    public async Task Tokens_issued_by_one_instance_work_on_every_instance_and_refresh_rotates_through_the_shared_store()
    {
        using var http = ClusterRequests.BareClient();
        http.BaseAddress = Cluster.Balancer;
        using var issue = await http.PostAsJsonAsync("/api/token", new { username = "alice", password = "alice-password" });
        Assert.Equal(HttpStatusCode.OK, issue.StatusCode);
        Assert.Contains("no-store", issue.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var tokens = JsonDocument.Parse(await issue.Content.ReadAsStringAsync());
        var access = tokens.RootElement.GetProperty("access_token").GetString()!;
        var refresh = tokens.RootElement.GetProperty("refresh_token").GetString()!;
        Assert.Equal("Bearer", tokens.RootElement.GetProperty("token_type").GetString());

        var orders = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => SendWithBearer(http, "/api/orders", access));
        Assert.All(orders, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Contains("\"user\":\"alice\"", r.Body, StringComparison.Ordinal);
        });

        using var refreshed = await http.PostAsync("/api/token/refresh", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refresh)]));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var replay = await http.PostAsync("/api/token/refresh", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refresh)]));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_grant", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = await http.GetAsync("/api/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_area_takes_HTTP_Basic_on_every_instance()
    {
        using var http = ClusterRequests.BareClient();
        http.BaseAddress = Cluster.Balancer;
        using var challenge = await http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains("Basic", challenge.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var customer = await SendWithBasic(http, "/admin", "alice", "alice-password");
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);

        var admin = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => SendWithBasic(http, "/admin", "admin", "admin-password"));
        Assert.All(admin, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Contains("Signed in with <b>HTTP Basic</b> as <code>admin</code>", r.Body, StringComparison.Ordinal);
        });
    }

    private static async Task<string> CurrentHandleAsync(SampleClient client)
    {
        using var sessions = await client.GetAsync("/sessions");
        var html = await sessions.Content.ReadAsStringAsync();
        var current = CurrentHandleRegex().Match(html);
        Assert.True(current.Success, "The current session is marked:\n" + html);
        return current.Groups[1].Value;
    }

    internal static Task<HttpResponseMessage> SendWithBearer(HttpClient http, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendWithBasic(HttpClient http, string path, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return http.SendAsync(request);
    }

    private static bool SampleClientIsLogin(HttpStatusCode status, string? location) =>
        status == HttpStatusCode.Redirect && location?.Contains("/login", StringComparison.Ordinal) == true;

    // A handle is the record's digest and, for a session issued to a user, "." and its slot tag: the Redis store finds the
    // record by both, so a handle cut at the dot names no record there.
    [GeneratedRegex("""name="handle" value="([0-9a-fA-F]+(?:\.[0-9a-f]{4})?)""")]
    private static partial Regex HandleRegex();

    [GeneratedRegex("""<tr id="current-session">[\s\S]*?name="handle" value="([0-9a-fA-F]+(?:\.[0-9a-f]{4})?)""")]
    private static partial Regex CurrentHandleRegex();
}

/// <summary>Three instances sharing one session directory.</summary>
public sealed class FileStoreClusterTests(FileClusterFixture fixture) : SharedStoreClusterTests(fixture), IClassFixture<FileClusterFixture>;

/// <summary>Three instances sharing one Redis (or Garnet).</summary>
public sealed class RedisStoreClusterTests(RedisClusterFixture fixture) : SharedStoreClusterTests(fixture), IClassFixture<RedisClusterFixture>;
