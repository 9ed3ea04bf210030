using AuthKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicPolicySchemeTests
{
    [Fact]
    public async Task AddBasic_registers_the_scheme_the_AuthKit_policy_forwards_Basic_requests_to()
    {
        await using var host = await BasicTestHost.StartAsync();
        Assert.Equal("Basic", host.Get<IOptions<AuthKitForwardingOptions>>().Value.BasicScheme);

        // RequireAuthorization() with no scheme named: the AuthKit policy scheme picks Basic from the header.
        var ok = await host.SendAsync("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "/default");
        Assert.Equal(200, ok.Response.StatusCode);
        Assert.Equal("hello Aladdin", BasicTestHost.Body(ok));

        var wrong = await host.SendAsync(BasicTestHost.Basic("Aladdin", "nope"), "/default");
        Assert.Equal(401, wrong.Response.StatusCode);
        Assert.Equal("Basic realm=\"AuthKit\", charset=\"UTF-8\"", wrong.Response.Headers[HeaderNames.WWWAuthenticate].ToString());

        var malformed = await host.SendAsync("Basic %%%", "/default");
        Assert.Equal(400, malformed.Response.StatusCode);
    }

    [Fact]
    public async Task The_AuthKit_policy_applies_throttling_and_transport_rules_too()
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), BasicTestHost.Throttle(o => o.MaxFailuresPerUser = 1));
        Assert.Equal(403, (await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), "/default", scheme: "http")).Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("alice", "x"), "/default")).Response.StatusCode);
        var throttled = await host.SendAsync(BasicTestHost.Basic("alice", "y"), "/default");
        Assert.Equal(429, throttled.Response.StatusCode);
        Assert.True(throttled.Response.Headers.ContainsKey(HeaderNames.RetryAfter));
    }

    [Fact]
    public async Task Requests_without_Basic_credentials_are_not_sent_to_the_Basic_scheme_by_the_policy()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(null, "/default");
        Assert.Equal(401, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }
}
