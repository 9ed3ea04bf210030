using System.Net;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicThrottlingTests
{
    [Fact]
    public async Task Repeated_failures_for_a_user_get_429_with_Retry_After_before_the_validator_runs()
    {
        await using var host = await BasicTestHost.StartAsync(o =>
        {
            o.MaxFailuresPerUser = 3;
            o.ThrottleWindow = TimeSpan.FromMinutes(1);
        });
        var users = host.Get<TestUsers>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "guess" + i))).Response.StatusCode);
            host.Time.Advance(TimeSpan.FromSeconds(10));
        }

        // The first failure was at 0 s, now is 30 s: it leaves the window at 60 s.
        var throttled = await host.SendAsync(BasicTestHost.Basic("alice", "guess3"));
        Assert.Equal(429, throttled.Response.StatusCode);
        Assert.Equal("30", throttled.Response.Headers[HeaderNames.RetryAfter].ToString());
        Assert.False(throttled.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
        Assert.Equal(3, users.Calls);

        // Even the right password is not checked while throttled, and a different case of the name is the same user.
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("ALICE", "correct horse"))).Response.StatusCode);
        Assert.Equal(3, users.Calls);

        // Another user from the same client is not affected.
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("bob", "battery staple"))).Response.StatusCode);
    }

    [Fact]
    public async Task A_user_recovers_once_the_window_slides_past_the_failures()
    {
        await using var host = await BasicTestHost.StartAsync(o =>
        {
            o.MaxFailuresPerUser = 2;
            o.ThrottleWindow = TimeSpan.FromMinutes(1);
        });
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "a"))).Response.StatusCode);
        host.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "b"))).Response.StatusCode);

        var throttled = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"));
        Assert.Equal(429, throttled.Response.StatusCode);
        Assert.Equal("40", throttled.Response.Headers[HeaderNames.RetryAfter].ToString());

        host.Time.Advance(TimeSpan.FromSeconds(39));
        var stillThrottled = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"));
        Assert.Equal(429, stillThrottled.Response.StatusCode);
        Assert.Equal("1", stillThrottled.Response.Headers[HeaderNames.RetryAfter].ToString());

        // The first failure has left the window: one more attempt is allowed, and the right password works.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);

        // A success clears the user's failures.
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "c"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "d"))).Response.StatusCode);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("alice", "e"))).Response.StatusCode);
    }

    [Fact]
    public async Task A_client_spraying_many_user_names_is_throttled_by_address()
    {
        await using var host = await BasicTestHost.StartAsync(o =>
        {
            o.MaxFailuresPerUser = 0;
            o.MaxFailuresPerClient = 5;
            o.ThrottleWindow = TimeSpan.FromMinutes(10);
        });
        var attacker = IPAddress.Parse("198.51.100.9");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("user" + i, "x"), remote: attacker)).Response.StatusCode);
        }

        var throttled = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), remote: attacker);
        Assert.Equal(429, throttled.Response.StatusCode);
        Assert.Equal("600", throttled.Response.Headers[HeaderNames.RetryAfter].ToString());
        Assert.Equal(5, host.Get<TestUsers>().Calls);

        // Another client is unaffected.
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), remote: IPAddress.Parse("198.51.100.10"))).Response.StatusCode);
    }

    [Fact]
    public async Task IPv6_clients_are_counted_per_64_prefix()
    {
        await using var host = await BasicTestHost.StartAsync(o =>
        {
            o.MaxFailuresPerUser = 0;
            o.MaxFailuresPerClient = 2;
        });
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("a", "x"), remote: IPAddress.Parse("2001:db8:1:2::1"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("b", "x"), remote: IPAddress.Parse("2001:db8:1:2:ffff::9"))).Response.StatusCode);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("c", "x"), remote: IPAddress.Parse("2001:db8:1:2:abcd::5"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("c", "x"), remote: IPAddress.Parse("2001:db8:1:3::1"))).Response.StatusCode);
    }

    [Fact]
    public async Task Credentials_verified_before_the_attack_keep_working_while_the_user_name_is_throttled()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.MaxFailuresPerUser = 2);
        var good = BasicTestHost.Basic("alice", "correct horse");
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);

        var attacker = IPAddress.Parse("198.51.100.66");
        await host.SendAsync(BasicTestHost.Basic("alice", "x"), remote: attacker);
        await host.SendAsync(BasicTestHost.Basic("alice", "y"), remote: attacker);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("alice", "z"), remote: attacker)).Response.StatusCode);

        // The legitimate client's credentials are in the verified cache: no hash, so no reason to throttle them.
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
    }

    [Fact]
    public async Task Malformed_headers_do_not_count_as_password_failures()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.MaxFailuresPerClient = 2);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(400, (await host.SendAsync("Basic !!!!")).Response.StatusCode);
        }

        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
    }

    [Fact]
    public void The_throttle_table_stops_growing_at_its_size_and_prunes_expired_names()
    {
        var options = new BasicAuthenticationOptions { MaxFailuresPerUser = 3, MaxFailuresPerClient = 0, ThrottleTableSize = 2, ThrottleWindow = TimeSpan.FromMinutes(1) };
        var throttle = new BasicFailureThrottle();
        var t0 = new DateTime(2026, 1, 1).Ticks;
        Assert.True(throttle.RecordFailure("a", "c", t0, options));
        Assert.True(throttle.RecordFailure("b", "c", t0, options));
        Assert.False(throttle.RecordFailure("c", "c", t0, options));
        Assert.True(throttle.RecordFailure("c", "c", t0 + TimeSpan.FromMinutes(2).Ticks, options));
    }
}
