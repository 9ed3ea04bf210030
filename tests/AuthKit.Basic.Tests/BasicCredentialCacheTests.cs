using System.Security.Cryptography;
using System.Text;
using AuthKit.Basic.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Tests;

public sealed class BasicCredentialCacheTests
{
    private static async Task<(BasicTestHost Host, CountingPasswordHasher Hasher)> StartWithUserTableAsync(Action<BasicAuthenticationOptions>? configure = null, Action<CredentialThrottleOptions>? throttle = null)
    {
        var hasher = new CountingPasswordHasher();
        var aliceHash = hasher.HashPassword("correct horse");
        var host = await BasicTestHost.StartAsync(
            b => b.AddBasicUsers(u => u.Users["alice"] = aliceHash, configure),
            s =>
            {
                s.AddSingleton<IAuthKitPasswordHasher>(hasher);
                s.Configure(throttle ?? (_ => { }));
            });
        return (host, hasher);
    }

    [Fact]
    public async Task N_requests_with_the_same_good_credentials_hash_once_per_lifetime()
    {
        var (host, hasher) = await StartWithUserTableAsync(o => o.CredentialCacheLifetime = TimeSpan.FromMinutes(2));
        await using var _ = host;
        var good = BasicTestHost.Basic("alice", "correct horse");
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
            host.Time.Advance(TimeSpan.FromSeconds(4));
        }

        Assert.Equal(1, hasher.Verifications);

        // 100 s have passed; the entry made at 0 s lives until 120 s.
        host.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
        Assert.Equal(2, hasher.Verifications);
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
        Assert.Equal(2, hasher.Verifications);
    }

    [Fact]
    public async Task After_InvalidateUser_a_changed_password_takes_effect_at_once()
    {
        var (host, hasher) = await StartWithUserTableAsync();
        await using var _ = host;
        var oldCredentials = BasicTestHost.Basic("alice", "correct horse");
        Assert.Equal(200, (await host.SendAsync(oldCredentials)).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(oldCredentials)).Response.StatusCode);
        Assert.Equal(1, hasher.Verifications);

        // The app changes the password, then drops the user's cached credentials.
        host.Get<IOptionsMonitor<BasicUserTableOptions>>().CurrentValue.Users["alice"] = hasher.HashPassword("new password");
        Assert.Equal(1, host.Get<IBasicCredentialCache>().InvalidateUser("Alice"));
        host.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(401, (await host.SendAsync(oldCredentials)).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "new password"))).Response.StatusCode);
        Assert.Equal(3, hasher.Verifications);
    }

    [Fact]
    public async Task Wrong_passwords_are_never_cached()
    {
        var (host, hasher) = await StartWithUserTableAsync(throttle: o => o.MaxFailuresPerUser = 0);
        await using var _ = host;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "wrong"))).Response.StatusCode);
        }

        Assert.Equal(3, hasher.Verifications);
    }

    [Fact]
    public async Task A_lifetime_of_zero_turns_the_cache_off()
    {
        var (host, hasher) = await StartWithUserTableAsync(o => o.CredentialCacheLifetime = TimeSpan.Zero);
        await using var _ = host;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
        }

        Assert.Equal(3, hasher.Verifications);
    }

    [Fact]
    public async Task The_cache_key_is_an_HMAC_under_the_purpose_key_never_the_password_or_its_plain_hash()
    {
        await using var host = await BasicTestHost.StartAsync();
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);

        var cache = Assert.IsType<BasicCredentialCache>(host.Get<IBasicCredentialCache>());
        var stored = Assert.Single(cache.StoreFor(BasicAuthenticationDefaults.AuthenticationScheme).Keys);
        var bytes = new byte[32];
        stored.CopyTo(bytes);

        var credentials = Encoding.UTF8.GetBytes("alice:correct horse");
        var purposeKey = host.Get<IAuthKitKeyRing>().ForPurpose("AuthKit.Basic.CredentialCache").ActiveKey;
        var cacheKey = purposeKey.ComputeMac("AuthKit.Basic.CredentialCache/v1"u8);
        Assert.Equal(HMACSHA256.HashData(cacheKey, credentials), bytes);
        Assert.False(purposeKey.VerifyMac(credentials, bytes));
        Assert.NotEqual(SHA256.HashData(credentials), bytes);
        Assert.NotEqual(SHA256.HashData("correct horse"u8), bytes);
        Assert.False(host.Get<IAuthKitKeyRing>().ActiveKey.VerifyMac(credentials, bytes));
    }

    [Fact]
    public async Task The_cache_holds_at_most_CredentialCacheSize_entries()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.CredentialCacheSize = 3);
        var users = host.Get<TestUsers>();
        for (var i = 0; i < 10; i++)
        {
            users.Passwords["u" + i] = "p" + i;
            Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("u" + i, "p" + i))).Response.StatusCode);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var cache = Assert.IsType<BasicCredentialCache>(host.Get<IBasicCredentialCache>());
        Assert.Equal(3, cache.StoreFor(BasicAuthenticationDefaults.AuthenticationScheme).Count);

        // The newest stay; the oldest were dropped.
        var calls = users.Calls;
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("u9", "p9"))).Response.StatusCode);
        Assert.Equal(calls, users.Calls);
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("u0", "p0"))).Response.StatusCode);
        Assert.Equal(calls + 1, users.Calls);
    }

    [Fact]
    public async Task Each_request_gets_its_own_copy_of_the_cached_principal()
    {
        await using var host = await BasicTestHost.StartAsync();
        var good = BasicTestHost.Basic("alice", "correct horse");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("1", BasicTestHost.Body(await host.SendAsync(good, "/mutate")));
        }

        Assert.Equal(1, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task An_invalidation_during_a_validation_keeps_the_stale_result_out_of_the_cache()
    {
        await using var host = await BasicTestHost.StartAsync();
        var cache = host.Get<IBasicCredentialCache>();
        var key = new BasicCredentialCacheKey(new byte[32]);
        var startedAt = host.Time.GetUtcNow();
        BasicCredentialCacheEntry Entry(DateTimeOffset started) => new()
        {
            UserName = "alice",
            Principal = new System.Security.Claims.ClaimsPrincipal(),
            ExpiresAt = started + TimeSpan.FromMinutes(1),
            ValidationStartedAt = started,
        };

        // The validation started, then the password changed: its result must not be cached.
        cache.InvalidateUser("alice");
        Assert.False(await cache.SetAsync("Basic", key, Entry(startedAt), CancellationToken.None));
        Assert.Null(await cache.GetAsync("Basic", key, CancellationToken.None));

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await cache.SetAsync("Basic", key, Entry(host.Time.GetUtcNow()), CancellationToken.None));
        Assert.NotNull(await cache.GetAsync("Basic", key, CancellationToken.None));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync("Basic", key, CancellationToken.None));
    }
}
