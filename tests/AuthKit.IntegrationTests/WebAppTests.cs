using System.Net;

namespace AuthKit.IntegrationTests;

/// <summary>The WebApp sample on its own, as <c>dotnet run</c> starts it: file store, plain HTTP on loopback.</summary>
public sealed class WebAppTests
{
    [Fact]
    public async Task Sessions_in_the_file_store_survive_a_restart()
    {
        var data = Path.Combine(Path.GetTempPath(), $"authkit-restart-{Guid.NewGuid():N}");
        try
        {
            string cookie;
            await using (var first = await WebAppProcess.StartAsync("file", data))
            {
                using var client = new SampleClient(first.Url);
                using (var signIn = await client.SignInAsync("alice"))
                {
                    Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
                }

                using (var add = await client.PostFormAsync("/account", "/cart/add", [new("item", "Coffee")]))
                {
                    Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
                }

                cookie = client.CookieHeader;
                await first.StopAsync();
            }

            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(data, "sessions"), "*", SearchOption.AllDirectories));

            await using var second = await WebAppProcess.StartAsync("file", data);
            using var bare = ClusterRequests.BareClient();
            using var account = await ClusterRequests.GetWithCookieAsync(bare, second.Url, "/account", cookie);
            var html = await account.Content.ReadAsStringAsync();
            Assert.True(account.StatusCode == HttpStatusCode.OK, $"After a restart: {(int)account.StatusCode}\n{second.Output}");
            Assert.Contains("""<code id="account-user">alice</code>""", html, StringComparison.Ordinal);
            Assert.Contains("<li>Coffee</li>", html, StringComparison.Ordinal);
        }
        finally
        {
            ClusterProcess.TryDelete(data);
        }
    }

    [Fact]
    public async Task Pages_headers_and_the_session_cookie_follow_the_documented_defaults()
    {
        await using var app = await WebAppProcess.StartAsync("memory");
        using var client = new SampleClient(app.Url);

        using (var home = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Equal("solo", SampleClient.Instance(home));
            Assert.Contains("Served by instance <b>solo</b>", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var anonymous = await client.GetAsync("/account"))
        {
            Assert.True(SampleClient.IsLoginRedirect(anonymous), $"{(int)anonymous.StatusCode} {anonymous.Headers.Location}");
        }

        using (var wrong = await client.SignInAsync("alice", "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Null(client.SessionCookie);
        }

        using (var signIn = await client.SignInAsync("alice"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var cookie = signIn.Headers.GetValues("Set-Cookie").Single(v => v.Split('=')[0].EndsWith("authkit", StringComparison.Ordinal));
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();

            // Plain HTTP on loopback: the documented development fallback, an unprefixed cookie without Secure.
            Assert.StartsWith("authkit=", cookie, StringComparison.Ordinal);
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=lax", attributes);
            Assert.Contains("path=/", attributes);
            Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
            Assert.DoesNotContain("secure", attributes);
        }

        using (var account = await client.GetAsync("/account"))
        {
            Assert.Equal(HttpStatusCode.OK, account.StatusCode);
            Assert.Contains("no-store", account.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forms_without_an_antiforgery_token_are_refused()
    {
        await using var app = await WebAppProcess.StartAsync("memory");
        using var http = ClusterRequests.BareClient();
        using var response = await http.PostAsync(new Uri(app.Url, "/login"), new FormUrlEncodedContent([new("username", "alice"), new("password", "alice-password")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("authkit=", StringComparison.Ordinal));
    }
}
