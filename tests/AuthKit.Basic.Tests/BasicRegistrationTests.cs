using System.Security.Claims;
using AuthKit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Tests;

public sealed class BasicRegistrationTests
{
    [Fact]
    public async Task Options_bind_from_AuthKit_Basic()
    {
        var config = new Dictionary<string, string?>
        {
            ["AuthKit:Basic:Realm"] = "From config",
            ["AuthKit:CredentialThrottle:MaxFailuresPerUser"] = "4",
            ["AuthKit:Basic:CredentialCacheLifetime"] = "00:00:30",
            ["AuthKit:Basic:AllowLatin1Fallback"] = "true",
        };
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), configuration: config);
        var options = host.Get<IOptionsMonitor<BasicAuthenticationOptions>>().Get("Basic");
        Assert.Equal("From config", options.Realm);
        Assert.Equal(4, host.Get<IOptionsMonitor<CredentialThrottleOptions>>().CurrentValue.MaxFailuresPerUser);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CredentialCacheLifetime);
        Assert.True(options.AllowLatin1Fallback);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_host_at_start_naming_the_setting()
    {
        var config = new Dictionary<string, string?> { ["AuthKit:Basic:MaxHeaderLength"] = "5" };
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), configuration: config));
        Assert.Contains("AuthKit:Basic:MaxHeaderLength", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Option_setters_never_throw_and_every_bad_setting_is_reported_at_once()
    {
        var options = new BasicAuthenticationOptions { Realm = "\"", MaxHeaderLength = 5, CredentialCacheLifetime = TimeSpan.FromDays(1), CredentialCacheSize = 0 };
        Assert.Equal(5, options.MaxHeaderLength);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(o =>
        {
            o.Realm = "\"";
            o.MaxHeaderLength = 5;
            o.CredentialCacheLifetime = TimeSpan.FromDays(1);
            o.CredentialCacheSize = 0;
        }));
        Assert.Equal(4, ex.Failures.Count());
        foreach (var setting in new[] { "Realm", "MaxHeaderLength", "CredentialCacheLifetime", "CredentialCacheSize" })
        {
            Assert.Contains("AuthKit:Basic:" + setting, ex.Message, StringComparison.Ordinal);
        }

        var throttle = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(),
            BasicTestHost.Throttle(o => (o.MaxFailuresPerUser, o.Window, o.MaxKnownClientsPerUser) = (-1, TimeSpan.Zero, 0))));
        Assert.Equal(3, throttle.Failures.Count());
        Assert.Contains("AuthKit:CredentialThrottle:MaxFailuresPerUser", throttle.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:CredentialThrottle:Window", throttle.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:CredentialThrottle:MaxKnownClientsPerUser", throttle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsType_that_is_not_BasicAuthenticationEvents_stops_the_host_at_start()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(o => o.EventsType = typeof(string)));
        Assert.Contains("EventsType", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calling_AddBasic_twice_is_harmless_and_both_configurations_apply()
    {
        await using var host = await BasicTestHost.StartAsync(b => b
            .AddBasic<TestValidator>(o => o.Realm = "One")
            .AddBasic<TestValidator>(o => o.MaxHeaderLength = 2000));
        var options = host.Get<IOptionsMonitor<BasicAuthenticationOptions>>().Get("Basic");
        Assert.Equal("One", options.Realm);
        Assert.Equal(2000, options.MaxHeaderLength);
        var schemes = await host.Get<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Single(schemes, s => s.Name == "Basic");
        Assert.Equal(200, (await host.SendAsync("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).Response.StatusCode);
    }

    [Fact]
    public async Task The_validator_is_scoped_and_may_use_scoped_services()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<ScopedValidator>(), s => s.AddScoped<RequestScope>().AddSingleton<ScopeCounter>());
        Assert.Equal(200, (await host.SendAsync("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(BasicTestHost.Basic("bob", "x"))).Response.StatusCode);
        Assert.Equal(2, host.Get<ScopeCounter>().Created);
    }

    [Fact]
    public async Task OnValidateCredentials_may_decide_instead_of_the_validator()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.Events.OnValidateCredentials = c =>
        {
            if (c.UserName == "service")
            {
                c.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "service")], "Basic"));
                c.Success();
            }
            else if (c.UserName == "blocked")
            {
                c.Fail("blocked");
            }

            return Task.CompletedTask;
        });
        Assert.Equal("hello service", BasicTestHost.Body(await host.SendAsync(BasicTestHost.Basic("service", "any"))));
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("blocked", "any"))).Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
        Assert.Equal(200, (await host.SendAsync("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).Response.StatusCode);
        Assert.Equal(1, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task OnAuthenticationFailed_sees_why_and_never_the_password()
    {
        var seen = new List<(BasicAuthenticationFailure, string?, TimeSpan?)>();
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(o => o.Events.OnAuthenticationFailed = c =>
            {
                seen.Add((c.Failure, c.UserName, c.RetryAfter));
                return Task.CompletedTask;
            }),
            BasicTestHost.Throttle(o => o.MaxFailuresPerUser = 1));
        await host.SendAsync("Basic !!!!");
        await host.SendAsync(BasicTestHost.Basic("alice", "x"));
        await host.SendAsync(BasicTestHost.Basic("alice", "y"));
        await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http");
        Assert.Equal(
            [
                (BasicAuthenticationFailure.MalformedCredentials, null, null),
                (BasicAuthenticationFailure.InvalidCredentials, "alice", null),
                (BasicAuthenticationFailure.Throttled, "alice", TimeSpan.FromMinutes(5)),
                (BasicAuthenticationFailure.InsecureTransport, null, null),
            ],
            seen);
    }

    [Fact]
    public async Task A_throwing_validator_is_an_error_not_an_anonymous_user_unless_an_event_handles_it()
    {
        await using (var host = await BasicTestHost.StartAsync(b => b.AddBasic<ThrowingValidator>()))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => host.SendAsync(BasicTestHost.Basic("alice", "x")));
        }

        await using var handled = await BasicTestHost.StartAsync(b => b.AddBasic<ThrowingValidator>(o => o.Events.OnAuthenticationFailed = c =>
        {
            if (c.Failure == BasicAuthenticationFailure.ValidatorError)
            {
                c.Fail(c.Exception!);
            }

            return Task.CompletedTask;
        }));
        Assert.Equal(401, (await handled.SendAsync(BasicTestHost.Basic("alice", "x"))).Response.StatusCode);
    }

    [Fact]
    public async Task A_second_scheme_name_binds_its_own_section_and_the_policy_keeps_the_first()
    {
        var config = new Dictionary<string, string?> { ["AuthKit:Basic:Schemes:Admin:Realm"] = "Admins" };
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>().AddBasic<TestValidator>("Admin", null), configuration: config);
        var monitor = host.Get<IOptionsMonitor<BasicAuthenticationOptions>>();
        Assert.Equal("Admins", monitor.Get("Admin").Realm);
        Assert.Equal("AuthKit", monitor.Get("Basic").Realm);
        Assert.Equal("Basic", host.Get<IOptions<AuthKitForwardingOptions>>().Value.BasicScheme);
    }

    private sealed class ScopeCounter
    {
        public int Created;
    }

    private sealed class RequestScope
    {
        public RequestScope(ScopeCounter counter) => Interlocked.Increment(ref counter.Created);
    }

    private sealed class ScopedValidator(RequestScope scope) : IBasicCredentialValidator
    {
        public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken)
        {
            Assert.NotNull(scope);
            return ValueTask.FromResult<ClaimsPrincipal?>(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, context.UserName)], "Basic")));
        }
    }

    private sealed class ThrowingValidator : IBasicCredentialValidator
    {
        public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("user store is down");
    }
}
