using System.Net;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class ExpiryTests
{
    [Fact]
    public async Task Idle_session_expires_on_the_server_and_its_cookie_is_cleared()
    {
        await using var app = await TestApp.StartAsync(o => o.IdleTimeout = TimeSpan.FromMinutes(20));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        app.Time.Advance(TimeSpan.FromMinutes(19));
        using var stillAlive = await GetAsync(client, "/me", cookie);
        app.Time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        using var expired = await GetAsync(client, "/me", cookie);

        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.True(IsDeletion(SetCookie(expired, "__Host-authkit")!));
    }

    [Fact]
    public async Task Activity_slides_the_idle_expiry_but_writes_at_most_once_per_interval()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(20);
            o.SlidingRefreshInterval = TimeSpan.FromMinutes(5);
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.ResetCounts();

        // 10 requests within the first interval: no write at all.
        for (var i = 0; i < 10; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(20));
            using var r = await GetAsync(client, "/me", cookie);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.Equal(0, app.Store.Updates);

        // Then one request every 15 minutes for an hour: each is past the interval, so each writes once, and the session lives on.
        for (var i = 0; i < 4; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(15));
            using var r = await GetAsync(client, "/me", cookie);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.Equal(4, app.Store.Updates);
        Assert.Equal(14, app.Store.Gets);
        // The sliding write does not re-issue the cookie.
        using var last = await GetAsync(client, "/me", cookie);
        Assert.Empty(SetCookies(last));
    }

    [Fact]
    public async Task Absolute_timeout_ends_an_active_session()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(20);
            o.AbsoluteTimeout = TimeSpan.FromHours(1);
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        for (var i = 0; i < 5; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(11));
            using var r = await GetAsync(client, "/me", cookie);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)); // 61 minutes after sign-in
        using var expired = await GetAsync(client, "/me", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.True(IsDeletion(SetCookie(expired, "__Host-authkit")!));
    }

    [Fact]
    public async Task Idle_expiry_never_slides_past_the_absolute_expiry()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(30);
            o.AbsoluteTimeout = TimeSpan.FromMinutes(40);
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        app.Time.Advance(TimeSpan.FromMinutes(25));
        using (await GetAsync(client, "/me", cookie))
        {
        }

        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal(TestApp.Start + TimeSpan.FromMinutes(40), record.IdleExpiresAt);
        Assert.Equal(TestApp.Start + TimeSpan.FromMinutes(25), record.LastSeenAt);
    }
}
