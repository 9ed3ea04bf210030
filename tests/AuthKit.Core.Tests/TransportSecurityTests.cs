using System.Net;
using AuthKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Core.Tests;

public sealed class TransportSecurityTests
{
    [Theory]
    [InlineData("Development", "http", "localhost", "127.0.0.1", "AllowedForDevelopment")]
    [InlineData("Development", "http", "shop.example", "::1", "AllowedForDevelopment")]
    [InlineData("Development", "http", "localhost", "::ffff:127.0.0.1", "AllowedForDevelopment")]
    [InlineData("Development", "http", "localhost", null, "Refused")]
    [InlineData("Development", "http", "localhost", "203.0.113.9", "Refused")]
    [InlineData("Production", "http", "localhost", "127.0.0.1", "Refused")]
    [InlineData("Production", "http", "127.0.0.1", null, "Refused")]
    [InlineData("Staging", "http", "[::1]", "::1", "Refused")]
    [InlineData("Production", "https", "shop.example", null, "Https")]
    public void Plain_http_is_relaxed_only_in_Development_for_a_loopback_peer_and_never_by_Host(string environment, string scheme, string host, string? remote, string expected)
    {
        var transport = Create(environment, allowInsecureHttp: false);

        Assert.Equal(expected, transport.Decide(Request(scheme, host, remote)).ToString());
    }

    [Theory]
    [InlineData("Production", "203.0.113.9")]
    [InlineData("Development", null)]
    public void The_insecure_setting_relaxes_plain_http_everywhere(string environment, string? remote)
    {
        var transport = Create(environment, allowInsecureHttp: true);

        Assert.Equal(PlainHttpDecision.AllowedByInsecureSetting, transport.Decide(Request("http", "shop.example", remote)));
    }

    [Fact]
    public void Without_a_host_environment_nothing_is_development()
    {
        var transport = new AuthKitTransportSecurity(Monitor(false), NullLoggerFactory.Instance);

        Assert.Equal(PlainHttpDecision.Refused, transport.Decide(Request("http", "localhost", "127.0.0.1")));
    }

    private static AuthKitTransportSecurity Create(string environment, bool allowInsecureHttp) =>
        new(Monitor(allowInsecureHttp), NullLoggerFactory.Instance, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });

    private static IOptionsMonitor<AuthKitOptions> Monitor(bool allowInsecureHttp) =>
        new FixedMonitor(new AuthKitOptions { AllowInsecureHttp = allowInsecureHttp });

    private sealed class FixedMonitor(AuthKitOptions value) : IOptionsMonitor<AuthKitOptions>
    {
        public AuthKitOptions CurrentValue => value;

        public AuthKitOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<AuthKitOptions, string?> listener) => null;
    }

    private static DefaultHttpContext Request(string scheme, string host, string? remote)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        if (remote is not null)
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        }

        return context;
    }
}
