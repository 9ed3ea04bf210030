using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Moq;

namespace AuthKit.Basic.Tests;

/// <summary>The seams an app plugs into: its validator, a replaced cache or throttle, the events, and the framework's registration.</summary>
public sealed class BasicExtensionPointTests
{
    private static ClaimsPrincipal Principal(string name) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Basic"));

    [Fact]
    public async Task The_apps_validator_is_called_once_per_checked_request_with_the_request_and_the_credentials()
    {
        var paths = new List<string>();
        var validator = new Mock<IBasicCredentialValidator>(MockBehavior.Strict);
        validator
            .Setup(v => v.ValidateAsync(It.IsAny<BasicCredentialValidationContext>(), It.IsAny<CancellationToken>()))
            .Returns((BasicCredentialValidationContext c, CancellationToken _) =>
            {
                paths.Add(c.HttpContext.Request.Path);
                return ValueTask.FromResult<ClaimsPrincipal?>(c.Password == "pa:ss" ? Principal(c.UserName) : null);
            });
        await using var host = await BasicTestHost.StartAsync(
            b => b.Services.AddAuthentication().AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>("Basic", null),
            s => s.AddSingleton(validator.Object));

        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "pa:ss"))).Response.StatusCode);
        validator.Verify(
            v => v.ValidateAsync(
                It.Is<BasicCredentialValidationContext>(c => c.UserName == "alice" && c.Password == "pa:ss" && c.Scheme.Name == "Basic"),
                It.IsAny<CancellationToken>()),
            Times.Once);
        Assert.Equal(["/protected"], paths);

        // Cached: the next requests with the same credentials do not call it again; a wrong password calls it once more.
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "pa:ss"))).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "nope"))).Response.StatusCode);
        validator.Verify(v => v.ValidateAsync(It.IsAny<BasicCredentialValidationContext>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_replaced_credential_cache_is_the_one_used()
    {
        var cache = new Mock<IBasicCredentialCache>(MockBehavior.Strict);
        BasicCredentialCacheEntry? stored = null;
        BasicCredentialCacheKey storedKey = default;
        cache.Setup(c => c.GetAsync("Basic", It.IsAny<BasicCredentialCacheKey>(), It.IsAny<CancellationToken>()))
            .Returns((string _, BasicCredentialCacheKey key, CancellationToken _) =>
                ValueTask.FromResult(stored is not null && key == storedKey ? stored : null));
        cache.Setup(c => c.SetAsync("Basic", It.IsAny<BasicCredentialCacheKey>(), It.IsAny<BasicCredentialCacheEntry>(), It.IsAny<CancellationToken>()))
            .Returns((string _, BasicCredentialCacheKey key, BasicCredentialCacheEntry entry, CancellationToken _) =>
            {
                (storedKey, stored) = (key, entry);
                return ValueTask.FromResult(true);
            });

        // Registered before AddBasic: AddBasic's TryAdd keeps it.
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), s => s.AddSingleton(cache.Object));
        Assert.Same(cache.Object, host.Get<IBasicCredentialCache>());
        var good = BasicTestHost.Basic("alice", "correct horse");
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(good)).Response.StatusCode);

        cache.Verify(c => c.GetAsync("Basic", It.IsAny<BasicCredentialCacheKey>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        cache.Verify(
            c => c.SetAsync("Basic", It.IsAny<BasicCredentialCacheKey>(), It.Is<BasicCredentialCacheEntry>(e => e.UserName == "alice"), It.IsAny<CancellationToken>()),
            Times.Once);
        Assert.Equal(1, host.Get<TestUsers>().Calls);
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromMinutes(5), stored!.ExpiresAt);
    }

    [Fact]
    public async Task A_replaced_throttle_is_asked_before_the_validator_and_its_refusal_is_a_429()
    {
        var lease = new Mock<CredentialThrottleLease>();
        lease.SetupGet(l => l.Status).Returns(new CredentialThrottleStatus(CredentialThrottleLimit.UserFailures, TimeSpan.FromSeconds(42)));
        var throttle = new Mock<ICredentialThrottle>(MockBehavior.Strict);
        throttle.Setup(t => t.TryAcquireAsync("alice", It.IsAny<HttpContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(lease.Object);
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), s => s.AddSingleton(throttle.Object));

        var refused = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"));
        Assert.Equal(429, refused.Response.StatusCode);
        Assert.Equal("42", refused.Response.Headers[HeaderNames.RetryAfter].ToString());
        Assert.Equal(0, host.Get<TestUsers>().Calls);
        throttle.Verify(t => t.TryAcquireAsync("alice", It.IsAny<HttpContext>(), It.IsAny<CancellationToken>()), Times.Once);
        lease.Verify(l => l.RecordFailureAsync(It.IsAny<CancellationToken>()), Times.Never);
        lease.Verify(l => l.RecordSuccessAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_failing_throttle_store_is_a_503_never_an_uncounted_attempt()
    {
        var throttle = new Mock<ICredentialThrottle>(MockBehavior.Strict);
        throttle.Setup(t => t.TryAcquireAsync(It.IsAny<string>(), It.IsAny<HttpContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SessionStoreException("Connection refused (127.0.0.1:6379)"));
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), s => s.AddSingleton(throttle.Object));

        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"));
        Assert.Equal(503, response.Response.StatusCode);
        Assert.Equal("1", response.Response.Headers[HeaderNames.RetryAfter].ToString());
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task Each_checked_attempt_is_recorded_once_as_a_success_or_a_failure()
    {
        var lease = new Mock<CredentialThrottleLease>();
        lease.SetupGet(l => l.Status).Returns(CredentialThrottleStatus.NotThrottled);
        var throttle = new Mock<ICredentialThrottle>();
        throttle.Setup(t => t.TryAcquireAsync(It.IsAny<string>(), It.IsAny<HttpContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(lease.Object);
        throttle.Setup(t => t.CheckAsync(It.IsAny<string>(), It.IsAny<HttpContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(CredentialThrottleStatus.NotThrottled);
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), s => s.AddSingleton(throttle.Object));

        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "wrong"))).Response.StatusCode);
        lease.Verify(l => l.RecordFailureAsync(CancellationToken.None), Times.Once);
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
        lease.Verify(l => l.RecordSuccessAsync(CancellationToken.None), Times.Once);

        // A cache hit reserves nothing but is still checked.
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
        throttle.Verify(t => t.TryAcquireAsync("alice", It.IsAny<HttpContext>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        throttle.Verify(t => t.CheckAsync("alice", It.IsAny<HttpContext>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_handler_works_when_registered_through_AddScheme()
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.Services.AddAuthentication().AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>("Basic", o => o.Realm = "Plain"),
            s => s.AddScoped<IBasicCredentialValidator, TestValidator>());
        Assert.Equal("hello alice", BasicTestHost.Body(await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))));
        var wrong = await host.SendAsync(BasicTestHost.Basic("alice", "x"));
        Assert.Equal(401, wrong.Response.StatusCode);
        Assert.Equal("Basic realm=\"Plain\", charset=\"UTF-8\"", wrong.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task AddBasic_on_the_frameworks_AuthenticationBuilder_takes_a_scheme_name_and_display_name()
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.Services.AddAuthentication().AddBasic<TestValidator>("Basic", "Admin area", o => o.Realm = "Admins"),
            configuration: new Dictionary<string, string?> { ["AuthKit:Basic:MaxHeaderLength"] = "1000" });
        var scheme = await host.Get<IAuthenticationSchemeProvider>().GetSchemeAsync("Basic");
        Assert.Equal("Admin area", scheme!.DisplayName);
        Assert.Equal(typeof(BasicAuthenticationHandler), scheme.HandlerType);
        var wrong = await host.SendAsync(BasicTestHost.Basic("alice", "x"));
        Assert.Equal("Basic realm=\"Admins\", charset=\"UTF-8\"", wrong.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(1000, host.Get<Microsoft.Extensions.Options.IOptionsMonitor<BasicAuthenticationOptions>>().Get("Basic").MaxHeaderLength);
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"))).Response.StatusCode);
    }

    [Fact]
    public async Task OnChallenge_runs_once_with_the_failure_and_may_write_its_own_response()
    {
        var seen = new List<(BasicAuthenticationFailure Failure, TimeSpan? RetryAfter)>();
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(o => o.Events.OnChallenge = async c =>
            {
                seen.Add((c.Failure, c.RetryAfter));
                if (c.Failure == BasicAuthenticationFailure.InvalidCredentials)
                {
                    c.Response.StatusCode = 401;
                    await c.Response.WriteAsync("custom");
                    c.HandleResponse();
                }
            }),
            BasicTestHost.Throttle(o => o.MaxFailuresPerUser = 1));

        var none = await host.SendAsync(null);
        Assert.Equal(401, none.Response.StatusCode);
        Assert.True(none.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
        var wrong = await host.SendAsync(BasicTestHost.Basic("alice", "x"));
        Assert.Equal("custom", BasicTestHost.Body(wrong));
        Assert.False(wrong.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
        Assert.Equal(429, (await host.SendAsync(BasicTestHost.Basic("alice", "y"))).Response.StatusCode);
        Assert.Equal(403, (await host.SendAsync(null, scheme: "http")).Response.StatusCode);
        Assert.Equal(
            [
                (BasicAuthenticationFailure.None, null),
                (BasicAuthenticationFailure.InvalidCredentials, null),
                (BasicAuthenticationFailure.Throttled, TimeSpan.FromMinutes(5)),
                (BasicAuthenticationFailure.InsecureTransport, null),
            ],
            seen);
    }

    [Fact]
    public async Task OnForbidden_runs_once_for_an_authenticated_user_who_may_not_enter()
    {
        var events = new Mock<BasicAuthenticationEvents> { CallBase = true };
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(o => o.EventsType = typeof(BasicAuthenticationEvents)),
            s => s.AddSingleton(events.Object)
                .AddAuthorization(o => o.AddPolicy("admins", p => p.AddAuthenticationSchemes("Basic").RequireRole("admin"))));
        var forbidden = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), "/admins-only");
        Assert.Equal(403, forbidden.Response.StatusCode);
        events.Verify(e => e.Forbidden(It.IsAny<BasicForbiddenContext>()), Times.Once);
        events.Verify(e => e.Challenge(It.IsAny<BasicChallengeContext>()), Times.Never);
    }
}
