using System.Net;
using AuthKit.Sessions.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class SessionCookieTests
{
    [Fact]
    public async Task Sign_in_over_https_sets_a_host_prefixed_secure_httponly_lax_cookie_without_domain()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        using var response = await PostAsync(client, "/login?user=alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = Assert.Single(SetCookies(response));
        Assert.StartsWith("__Host-authkit=", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.Contains("path=/", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires", StringComparison.Ordinal) || a.StartsWith("max-age", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cookie_carries_only_a_signed_session_id_never_user_data()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var cookie = await LoginAsync(client, "alice");

        var value = cookie["__Host-authkit=".Length..];
        Assert.DoesNotContain("alice", value, StringComparison.OrdinalIgnoreCase);
        var parts = value.Split('~');
        Assert.Equal(3, parts.Length);
        Assert.True(SessionIds.IsWellFormed(parts[0]));
        Assert.Equal("k1", parts[1]);
        // The store holds the digest of the ID, never the ID itself.
        var record = await app.Store.Inner.GetAsync(SessionKey.FromSessionId(parts[0]), TestContext.Current.CancellationToken);
        Assert.NotNull(record);
        Assert.Equal("alice", record.UserId);
    }

    [Fact]
    public async Task Authenticated_request_with_the_cookie_is_recognised_and_without_it_gets_401()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using var withCookie = await GetAsync(client, "/me", cookie);
        using var without = await GetAsync(client, "/me");

        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Equal("alice", await withCookie.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
    }

    [Fact]
    public async Task Plain_http_from_a_loopback_client_in_Development_falls_back_to_an_unprefixed_non_secure_cookie_and_warns_once()
    {
        await using var app = await TestApp.StartAsync(environment: Environments.Development);
        using var client = app.Client("http://localhost/");

        using var first = await PostAsync(client, "/login?user=alice", remoteIp: "127.0.0.1");
        using var second = await PostAsync(client, "/login?user=bob", remoteIp: "::1");

        var header = Assert.Single(SetCookies(first));
        Assert.StartsWith("authkit=", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.DoesNotContain("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Equal(1, app.Logs.Count(1201));

        using var me = await GetAsync(client, "/me", Pair(header), remoteIp: "127.0.0.1");
        Assert.Equal("alice", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Plain_http_outside_Development_keeps_the_host_prefixed_secure_cookie_and_logs_one_error_naming_the_setting()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client("http://localhost/");

        // A loopback peer and Host: localhost, as behind a local reverse proxy in production.
        using var first = await PostAsync(client, "/login?user=alice", remoteIp: "127.0.0.1");
        using var second = await PostAsync(client, "/login?user=bob", remoteIp: "127.0.0.1");

        var header = Assert.Single(SetCookies(first));
        Assert.StartsWith("__Host-authkit=", header, StringComparison.Ordinal);
        Assert.Contains("secure", Attributes(header));
        var error = Assert.Single(app.Logs.Entries, e => e.EventId == 1203);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("AuthKit:AllowInsecureHttp", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("203.0.113.7")]
    public async Task In_Development_a_missing_or_remote_peer_is_never_local_whatever_the_Host_header(string? remoteIp)
    {
        await using var app = await TestApp.StartAsync(environment: Environments.Development);
        using var client = app.Client("http://localhost/");

        using var response = await PostAsync(client, "/login?user=alice", remoteIp: remoteIp);

        var header = Assert.Single(SetCookies(response));
        Assert.StartsWith("__Host-authkit=", header, StringComparison.Ordinal);
        Assert.Contains("secure", Attributes(header));
    }

    [Fact]
    public async Task Plain_http_anywhere_is_relaxed_only_by_the_one_insecure_setting()
    {
        await using var app = await TestApp.StartAsync(build: b => b.Services.Configure<AuthKitOptions>(o => o.AllowInsecureHttp = true));
        using var client = app.Client("http://shop.example/");

        using var response = await PostAsync(client, "/login?user=alice", remoteIp: "203.0.113.7");

        var header = Assert.Single(SetCookies(response));
        Assert.StartsWith("authkit=", header, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", Attributes(header));
        Assert.Equal(1, app.Logs.Count(1202));
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("id")]
    [InlineData("kid")]
    [InlineData("unsigned")]
    [InlineData("garbage")]
    [InlineData("forged-id")]
    public async Task Tampered_cookie_is_anonymous_cleared_and_creates_nothing(string tamper)
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        var value = cookie.Substring("__Host-authkit=".Length);
        var parts = value.Split('~');
        var runtime = app.App.Services.GetRequiredService<SessionRuntime>();
        var forged = tamper switch
        {
            "mac" => parts[0] + "~" + parts[1] + "~" + Flip(parts[2]),
            "id" => Flip(parts[0]) + "~" + parts[1] + "~" + parts[2],
            "kid" => parts[0] + "~k2~" + parts[2],
            "unsigned" => parts[0],
            "garbage" => "not-a~session~cookie",
            _ => runtime.ProtectId(SessionIds.Create(), runtime.Options), // well signed, but the server never issued it
        };
        var recordsBefore = app.Store.Inner.Count;
        app.Store.ResetCounts();

        using var me = await GetAsync(client, "/me", "__Host-authkit=" + forged);
        using var pub = await GetAsync(client, "/public", "__Host-authkit=" + forged);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("anonymous", await pub.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var cleared = SetCookie(pub, "__Host-authkit");
        Assert.NotNull(cleared);
        Assert.True(IsDeletion(cleared));
        Assert.Contains("secure", Attributes(cleared));
        Assert.Contains("path=/", Attributes(cleared));
        Assert.Equal(recordsBefore, app.Store.Inner.Count);
        Assert.Equal(0, app.Store.Writes);
        // Only an ID that carries a valid signature reaches the store.
        Assert.Equal(tamper == "forged-id" ? 2 : 0, app.Store.Gets);
    }

    [Fact]
    public async Task With_the_cookie_policy_the_session_cookie_keeps_exactly_its_attributes_and_the_development_fallback()
    {
        await using var app = await TestApp.StartAsync(build: b => b.Services.AddAuthKit().AddCookiePolicy(), environment: Environments.Development);
        using var https = app.Client();
        using var http = app.Client("http://localhost/");

        using var secure = await PostAsync(https, "/login?user=alice");
        using var loopback = await PostAsync(http, "/login?user=alice", remoteIp: "127.0.0.1");

        var secureHeader = Assert.Single(SetCookies(secure));
        Assert.StartsWith("__Host-authkit=", secureHeader, StringComparison.Ordinal);
        Assert.Equal(["path=/", "secure", "samesite=lax", "httponly"], Attributes(secureHeader));
        var loopbackHeader = Assert.Single(SetCookies(loopback));
        Assert.StartsWith("authkit=", loopbackHeader, StringComparison.Ordinal);
        Assert.Equal(["path=/", "samesite=lax", "httponly"], Attributes(loopbackHeader));
    }

    [Fact]
    public async Task Generated_garbage_cookies_never_reach_a_500_or_the_store()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var valid = (await LoginAsync(client, "alice"))["__Host-authkit=".Length..];
        var random = new Random(3);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~.%+/=!*'()";
        app.Store.ResetCounts();

        for (var i = 0; i < 300; i++)
        {
            string value;
            switch (i % 3)
            {
                case 0:
                    value = new string([.. Enumerable.Range(0, random.Next(0, 400)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
                    break;
                case 1:
                    var chars = valid.ToCharArray();
                    chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                    value = new string(chars);
                    break;
                default:
                    value = valid[..random.Next(valid.Length)] + new string('~', random.Next(3));
                    break;
            }

            if (value == valid)
            {
                continue;
            }

            using var response = await GetAsync(client, "/public", "__Host-authkit=" + value);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("anonymous", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(0, app.Store.Gets);
        Assert.Equal(0, app.Store.Writes);
    }

    [Fact]
    public async Task Unsigned_cookies_are_accepted_only_when_signing_is_off()
    {
        await using var app = await TestApp.StartAsync(o => o.SignCookie = false);
        using var client = app.Client();

        var cookie = await LoginAsync(client, "alice");

        Assert.True(SessionIds.IsWellFormed(cookie.AsSpan("__Host-authkit=".Length)));
        using var me = await GetAsync(client, "/me", cookie);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Login_path_redirects_browsers_and_answers_401_to_scripts()
    {
        await using var app = await TestApp.StartAsync(o => o.LoginPath = "/signin");
        using var client = app.Client();

        using var browser = await GetAsync(client, "/me?x=1");
        using var script = new HttpRequestMessage(HttpMethod.Get, "/me");
        script.Headers.Add("X-Requested-With", "XMLHttpRequest");
        using var scriptResponse = await client.SendAsync(script, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal("https://localhost/signin?ReturnUrl=%2Fme%3Fx%3D1", browser.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, scriptResponse.StatusCode);
    }

    private static string Flip(string s)
    {
        var chars = s.ToCharArray();
        chars[5] = chars[5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
