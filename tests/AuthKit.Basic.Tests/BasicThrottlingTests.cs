using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicThrottlingTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.66");

    [Fact]
    public async Task Repeated_failures_for_a_user_get_429_with_Retry_After_before_the_validator_runs()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o =>
        {
            o.MaxFailuresPerUser = 3;
            o.Window = TimeSpan.FromMinutes(1);
        }));
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
    public async Task A_user_recovers_once_the_window_slides_and_a_known_client_then_has_its_own_budget()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o =>
        {
            o.MaxFailuresPerUser = 2;
            o.MaxFailuresPerKnownClient = 2;
            o.Window = TimeSpan.FromMinutes(1);
        }));
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

        // This client is now a known client of alice: it is held to its own (user, client) budget.
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "c"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "d"))).Response.StatusCode);
        var known = await host.SendAsync(BasicTestHost.Basic("alice", "e"));
        Assert.Equal(429, known.Response.StatusCode);
        Assert.Equal("60", known.Response.Headers[HeaderNames.RetryAfter].ToString());
    }

    [Fact]
    public async Task A_client_spraying_many_user_names_is_throttled_by_address()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o =>
        {
            o.MaxFailuresPerUser = 0;
            o.MaxFailuresPerClient = 5;
            o.Window = TimeSpan.FromMinutes(10);
        }));
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
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o =>
        {
            o.MaxFailuresPerUser = 0;
            o.MaxFailuresPerClient = 2;
        }));
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("a", "x"), remote: IPAddress.Parse("2001:db8:1:2::1"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("b", "x"), remote: IPAddress.Parse("2001:db8:1:2:ffff::9"))).Response.StatusCode);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("c", "x"), remote: IPAddress.Parse("2001:db8:1:2:abcd::5"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("c", "x"), remote: IPAddress.Parse("2001:db8:1:3::1"))).Response.StatusCode);
    }

    [Fact]
    public async Task A_throttled_guesser_is_answered_429_even_for_the_password_in_the_verified_cache()
    {
        await using var host = await BasicTestHost.StartAsync();
        var good = BasicTestHost.Basic("alice", "correct horse");

        // The real client is active: its credentials are in the verified cache.
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);

        // The attacker, from elsewhere, spends alice's budget for strangers (10 by default)...
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "guess" + i), remote: Attacker)).Response.StatusCode);
        }

        // ...then keeps guessing at cache speed. Every answer is 429, the right password included: never a 200 while throttled.
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var guess = i == 137 ? "correct horse" : "guess" + i;
            statuses.Add((await host.SendAsync(BasicTestHost.Basic("alice", guess), remote: Attacker)).Response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(429, s));
        Assert.Equal(11, host.Get<TestUsers>().Calls);

        // The real client, whose address alice signed in from, is not locked out.
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_strangers_failures_do_not_lock_the_user_out_of_a_known_client(bool cacheOn)
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(o => o.CredentialCacheLifetime = cacheOn ? TimeSpan.FromMinutes(5) : TimeSpan.Zero),
            BasicTestHost.Throttle(o => o.MaxFailuresPerUser = 2));
        var good = BasicTestHost.Basic("alice", "correct horse");
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);

        await host.SendAsync(BasicTestHost.Basic("alice", "x"), remote: Attacker);
        await host.SendAsync(BasicTestHost.Basic("alice", "y"), remote: Attacker);
        var refused = await host.SendAsync(BasicTestHost.Basic("alice", "z"), remote: Attacker);
        Assert.Equal(429, refused.Response.StatusCode);
        Assert.Equal("300", refused.Response.Headers[HeaderNames.RetryAfter].ToString());

        // Alice's own client keeps working, from the cache or through the validator.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
        }

        // A client alice never signed in from waits, like the attacker: the documented limit of the model.
        Assert.Equal(429, (await host.SendAsync(good, remote: IPAddress.Parse("192.0.2.44"))).Response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_burst_of_200_concurrent_attempts_runs_the_validator_at_most_the_limit(bool concurrencyCapped)
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<GatedValidator>(),
            s =>
            {
                s.AddSingleton<ValidatorGate>();
                s.Configure<CredentialThrottleOptions>(o =>
                {
                    o.MaxConcurrentPerUser = concurrencyCapped ? 2 : 0;
                    o.MaxConcurrentPerClient = concurrencyCapped ? 8 : 0;
                });
            });
        var gate = host.Get<ValidatorGate>();
        var requests = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => host.SendAsync(BasicTestHost.Basic("alice", "guess" + i))))
            .ToArray();

        // Every request has been answered (429) or is inside the validator; only then do the validations finish.
        var expectedInside = concurrencyCapped ? 2 : 10;
        for (var i = 0; i < 600 && (requests.Count(r => r.IsCompleted) + gate.Inside) < 200; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(expectedInside, gate.Inside);
        gate.Release();
        var statuses = (await Task.WhenAll(requests)).Select(c => c.Response.StatusCode).ToList();

        Assert.Equal(expectedInside, gate.Calls);
        Assert.Equal(expectedInside, statuses.Count(s => s == 401));
        Assert.Equal(200 - expectedInside, statuses.Count(s => s == 429));
        Assert.True(gate.MostAtOnce <= expectedInside, $"{gate.MostAtOnce} validations ran at once");
    }

    [Fact]
    public async Task Identical_credentials_arriving_together_are_checked_once()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<GatedValidator>(), s => s.AddSingleton<ValidatorGate>());
        var gate = host.Get<ValidatorGate>();
        var good = BasicTestHost.Basic("alice", "correct horse");
        var requests = Enumerable.Range(0, 20).Select(_ => Task.Run(() => host.SendAsync(good))).ToArray();
        for (var i = 0; i < 600 && gate.Inside == 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        gate.Release();
        var statuses = (await Task.WhenAll(requests)).Select(c => c.Response.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(1, gate.Calls);
    }

    [Fact]
    public async Task Malformed_headers_do_not_count_as_password_failures()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o => o.MaxFailuresPerClient = 2));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(400, (await host.SendAsync("Basic !!!!")).Response.StatusCode);
        }

        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
    }

    [Fact]
    public async Task Basic_and_the_apps_other_sign_in_paths_share_one_budget()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o => o.MaxFailuresPerUser = 3));
        var throttle = host.Get<ICredentialThrottle>();

        // Two failures through the app's own form login, from the attacker's address...
        for (var i = 0; i < 2; i++)
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Connection.RemoteIpAddress = BasicTestHost.RemoteClient;
            await using var attempt = await throttle.TryAcquireAsync("alice", context, TestContext.Current.CancellationToken);
            Assert.True(attempt.IsAcquired);
            await attempt.RecordFailureAsync(TestContext.Current.CancellationToken);
        }

        // ...and one through Basic use up the same three.
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "x"))).Response.StatusCode);
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
    }

    /// <summary>Counts and holds validations until released, so a test sees how many run at once.</summary>
    internal sealed class ValidatorGate
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;
        private int _calls;
        private int _mostAtOnce;

        public int Inside => Volatile.Read(ref _inside);

        public int Calls => Volatile.Read(ref _calls);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public void Release() => _release.TrySetResult();

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _inside);
            int seen;
            while ((seen = Volatile.Read(ref _mostAtOnce)) < now && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
            {
            }

            try
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        }
    }

    internal sealed class GatedValidator(ValidatorGate gate, TestUsers users) : IBasicCredentialValidator
    {
        public async ValueTask<System.Security.Claims.ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return await new TestValidator(users).ValidateAsync(context, cancellationToken);
        }
    }
}
