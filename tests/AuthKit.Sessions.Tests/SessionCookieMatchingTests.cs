using System.Net;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>The session cookie is one exact name, sent once: anything else may be a tossed cookie (login CSRF, session swap).</summary>
public sealed class SessionCookieMatchingTests
{
    [Theory]
    [InlineData("__host-authkit")]
    [InlineData("__HOST-AUTHKIT")]
    [InlineData("__Host-Authkit")]
    public async Task A_cookie_whose_name_differs_only_in_case_is_not_the_session_cookie(string name)
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");

        using var me = await GetAsync(client, "/me", name + "=" + Value(alice));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_sent_twice_in_one_header_is_treated_as_none_logged_once_and_cleared()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        var bob = await LoginAsync(client, "bob");
        app.Store.ResetCounts();

        using var response = await GetAsync(client, "/public", bob + "; other=1; " + alice);

        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var cleared = SetCookie(response, SessionAuthenticationDefaults.CookieName);
        Assert.NotNull(cleared);
        Assert.True(IsDeletion(cleared));
        Assert.StartsWith("__Host-authkit=;", cleared, StringComparison.Ordinal);
        Assert.Contains("secure", Attributes(cleared));
        Assert.Contains("path=/", Attributes(cleared));
        Assert.Equal(1, app.Logs.Count(3014));
        Assert.Equal(0, app.Store.Gets);
    }

    [Fact]
    public async Task A_session_cookie_sent_in_two_Cookie_headers_is_treated_as_none()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");

        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Scheme = "https";
            c.Request.Host = new Microsoft.AspNetCore.Http.HostString("localhost");
            c.Request.Path = "/me";
            c.Request.Headers.Cookie = new Microsoft.Extensions.Primitives.StringValues([alice, alice]);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Contains(context.Response.Headers.SetCookie.ToArray(), h => h!.StartsWith("__Host-authkit=;", StringComparison.Ordinal) && IsDeletion(h));
        Assert.Equal(1, app.Logs.Count(3014));
    }

    [Fact]
    public async Task The_exact_session_cookie_beside_look_alike_names_still_works()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");

        using var me = await GetAsync(client, "/me", "__host-authkit=x; a__Host-authkit=y; " + alice + "; __Host-authkitC1=z");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("alice", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
