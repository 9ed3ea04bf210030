using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicTransportTests
{
    [Fact]
    public async Task Plain_http_from_a_remote_client_is_403_with_a_reason_and_no_challenge()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http");
        Assert.Equal(403, response.Response.StatusCode);
        Assert.Equal("HTTP Basic authentication is refused over plain HTTP. Use HTTPS.", BasicTestHost.Body(response));
        Assert.False(response.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
        Assert.Equal(0, host.Get<TestUsers>().Calls);

        // Without credentials too: the server never invites a password over plain HTTP.
        var bare = await host.SendAsync(null, scheme: "http");
        Assert.Equal(403, bare.Response.StatusCode);
        Assert.False(bare.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
    }

    [Fact]
    public async Task Plain_http_credentials_do_not_authenticate_an_anonymous_endpoint_either()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), "/anonymous", scheme: "http");
        Assert.Equal("anonymous", BasicTestHost.Body(response));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Plain_http_on_loopback_is_allowed_in_Development(string address)
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), environment: "Development");
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http", remote: IPAddress.Parse(address));
        Assert.Equal(200, response.Response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", "localhost")]
    [InlineData("::1", "127.0.0.1")]
    public async Task Plain_http_on_loopback_is_refused_outside_Development_whatever_the_Host_header(string address, string hostHeader)
    {
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), environment: "Production");
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http", remote: IPAddress.Parse(address), host: hostHeader);
        Assert.Equal(403, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task A_request_without_a_remote_address_is_never_local_even_in_Development()
    {
        // A Unix socket behind a reverse proxy, or an in-process server: nothing says the client is on this machine.
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasic<TestValidator>(), environment: "Development");
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http", withoutRemoteAddress: true, host: "localhost");
        Assert.Equal(403, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task AuthKits_one_AllowInsecureHttp_setting_accepts_plain_http_for_Basic()
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(),
            configuration: new Dictionary<string, string?> { ["AuthKit:AllowInsecureHttp"] = "true" });
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http");
        Assert.Equal(200, response.Response.StatusCode);
    }

    [Fact]
    public async Task Basic_has_no_insecure_setting_of_its_own()
    {
        // One switch for all of AuthKit: the former AuthKit:Basic:AllowInsecureHttp no longer relaxes anything.
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(),
            configuration: new Dictionary<string, string?> { ["AuthKit:Basic:AllowInsecureHttp"] = "true" });
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "http");
        Assert.Equal(403, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task Https_from_a_remote_client_is_accepted()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"), scheme: "https");
        Assert.Equal(200, response.Response.StatusCode);
    }
}
