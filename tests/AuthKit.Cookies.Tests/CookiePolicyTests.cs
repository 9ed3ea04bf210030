using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using AuthKit.Cookies.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Cookies.Tests;

public sealed class CookiePolicyTests
{
    [Fact]
    public async Task Every_cookie_the_app_writes_gets_secure_httponly_and_samesite_lax()
    {
        await using var app = await StartAsync();

        var header = Assert.Single(await SetCookiesAsync(app, "https://localhost/write?name=pref&value=dark"));

        Assert.StartsWith("pref=dark", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
    }

    [Fact]
    public async Task Script_readable_cookies_are_not_forced_httponly()
    {
        await using var app = await StartAsync(o => o.ScriptReadableCookies.Add("XSRF-TOKEN"));

        var header = Assert.Single(await SetCookiesAsync(app, "https://localhost/write?name=XSRF-TOKEN&value=t"));

        Assert.DoesNotContain("httponly", Attributes(header));
        Assert.Contains("secure", Attributes(header));
    }

    [Fact]
    public async Task Host_prefixed_cookie_written_with_a_domain_and_path_is_corrected_and_logged_once()
    {
        await using var app = await StartAsync();

        var header = Assert.Single(await SetCookiesAsync(app, "https://localhost/write-bad-host"));
        await SetCookiesAsync(app, "https://localhost/write-bad-host");

        Assert.StartsWith("__Host-x=1", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        Assert.Equal(2, app.Logs.Count(2005)); // Path and Domain, each once
    }

    [Fact]
    public async Task SameSite_none_cookie_is_always_secure()
    {
        await using var app = await StartAsync(allowInsecureHttp: true);

        var header = Assert.Single(await SetCookiesAsync(app, "http://shop.example/write-none"));

        Assert.Contains("samesite=none", Attributes(header));
        Assert.Contains("secure", Attributes(header));
    }

    [Fact]
    public async Task Plain_http_from_a_loopback_client_in_Development_leaves_cookies_non_secure_and_warns_once()
    {
        await using var app = await StartAsync(environment: Environments.Development);

        var header = Assert.Single(await SetCookiesAsync(app, "http://localhost/write?name=a&value=1", "127.0.0.1"));
        await SetCookiesAsync(app, "http://localhost/write?name=a&value=1", "::1");

        Assert.DoesNotContain("secure", Attributes(header));
        Assert.Contains("httponly", Attributes(header));
        Assert.Equal(1, app.Logs.Count(1201));
    }

    [Fact]
    public async Task Plain_http_outside_Development_keeps_cookies_secure_even_from_loopback_and_logs_one_error_naming_the_setting()
    {
        await using var app = await StartAsync();

        var header = Assert.Single(await SetCookiesAsync(app, "http://localhost/write?name=a&value=1", "127.0.0.1"));
        await SetCookiesAsync(app, "http://localhost/write?name=b&value=2", "127.0.0.1");

        Assert.Contains("secure", Attributes(header));
        Assert.Equal(1, app.Logs.Count(1203));
        Assert.Contains(app.Logs.Messages, m => m.Contains("AuthKit:AllowInsecureHttp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("203.0.113.9")]
    public async Task In_Development_a_missing_or_remote_peer_is_never_local_whatever_the_Host_header(string? remote)
    {
        await using var app = await StartAsync(environment: Environments.Development);

        var header = Assert.Single(await SetCookiesAsync(app, "http://localhost/write?name=a&value=1", remote));

        Assert.Contains("secure", Attributes(header));
    }

    [Fact]
    public async Task Plain_http_on_a_public_host_keeps_secure_unless_relaxed_by_the_one_insecure_setting()
    {
        await using var strict = await StartAsync();
        await using var relaxed = await StartAsync(allowInsecureHttp: true);

        var strictHeader = Assert.Single(await SetCookiesAsync(strict, "http://shop.example/write?name=a&value=1", "203.0.113.9"));
        var relaxedHeader = Assert.Single(await SetCookiesAsync(relaxed, "http://shop.example/write?name=a&value=1", "203.0.113.9"));

        Assert.Contains("secure", Attributes(strictHeader));
        Assert.Equal(1, strict.Logs.Count(1203));
        Assert.DoesNotContain("secure", Attributes(relaxedHeader));
        Assert.Equal(1, relaxed.Logs.Count(1202));
    }

    [Fact]
    public async Task A_cookie_over_the_size_limit_is_not_sent_and_an_error_is_logged()
    {
        await using var app = await StartAsync();

        var headers = await SetCookiesAsync(app, "https://localhost/write?name=big&value=" + new string('v', 4200));

        Assert.Empty(headers);
        Assert.Equal(1, app.Logs.Count(2001));
    }

    [Fact]
    public async Task Options_bind_from_configuration_and_bad_values_stop_the_host_at_start()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(config: new()
        {
            ["AuthKit:Cookies:DefaultSameSite"] = "None",
            ["AuthKit:Cookies:EnforceSecure"] = "false",
        }));
        Assert.Contains("AuthKit:Cookies:DefaultSameSite", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SameSite=None requires Secure", ex.Message, StringComparison.Ordinal);

        await using var app = await StartAsync(config: new() { ["AuthKit:Cookies:MaxSetCookieSize"] = "1024" });
        Assert.Equal(1024, app.App.Services.GetRequiredService<IOptions<AuthKitCookieOptions>>().Value.MaxSetCookieSize);
    }

    [Fact]
    public async Task Adding_the_policy_twice_is_harmless_and_the_app_hook_still_runs_first()
    {
        var appHookRan = 0;
        await using var app = await StartAsync(build: b =>
        {
            b.Services.AddAuthKit().AddCookiePolicy();
            b.Services.Configure<CookiePolicyOptions>(o => o.OnAppendCookie = c =>
            {
                Interlocked.Increment(ref appHookRan);
                c.CookieOptions.Secure = false; // AuthKit's rules run after the app's hook
            });
        });

        var header = Assert.Single(await SetCookiesAsync(app, "https://localhost/write?name=a&value=1"));

        Assert.Equal(1, appHookRan);
        Assert.Contains("secure", Attributes(header));
        Assert.Single(app.App.Services.GetServices<IAuthKitPipelineContributor>());
    }

    [Theory]
    [InlineData("__Host-a", true, "/", null, SameSiteMode.Lax, 0)]
    [InlineData("__Host-a", false, "/", null, SameSiteMode.Lax, 1)]
    [InlineData("__Host-a", true, "/x", "example.com", SameSiteMode.Lax, 2)]
    [InlineData("__Host-a", true, null, null, SameSiteMode.Lax, 1)]
    [InlineData("__Secure-a", false, "/x", "example.com", SameSiteMode.Lax, 1)]
    [InlineData("plain", false, "/x", "example.com", SameSiteMode.None, 1)]
    [InlineData("plain", false, "/x", "example.com", SameSiteMode.Strict, 0)]
    [InlineData("", true, "/", null, SameSiteMode.Lax, 1)]
    public void Prefix_rules_report_each_broken_rule(string name, bool secure, string? path, string? domain, SameSiteMode sameSite, int failures)
    {
        var result = AuthKitCookieRules.Validate("App:Cookie", name, secure, path, domain, sameSite);

        Assert.Equal(failures, result.Count);
        Assert.All(result, m => Assert.StartsWith("App:Cookie", m, StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Attributes(string header) => [.. header.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    private static async Task<IReadOnlyList<string>> SetCookiesAsync(PolicyApp app, string url, string? remoteIp = null)
    {
        var uri = new Uri(url);
        var context = await app.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Scheme = uri.Scheme;
            c.Request.Host = HostString.FromUriComponent(uri);
            c.Request.Path = uri.AbsolutePath;
            c.Request.QueryString = new QueryString(uri.Query);
            if (remoteIp is not null)
            {
                c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(remoteIp);
            }
        }, TestContext.Current.CancellationToken);
        return [.. context.Response.Headers.SetCookie.Select(v => v!)];
    }

    private static async Task<PolicyApp> StartAsync(Action<AuthKitCookieOptions>? configure = null, Dictionary<string, string?>? config = null, Action<WebApplicationBuilder>? build = null, string? environment = null, bool allowInsecureHttp = false)
    {
        var logs = new ListLogger();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment ?? Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        if (config is not null)
        {
            builder.Configuration.AddInMemoryCollection(config);
        }

        builder.Services.AddAuthKit(o =>
        {
            o.Keys.Add(new AuthKitKeyOptions { KeyId = "k1", Secret = Convert.ToBase64String(new byte[32]) });
            o.AllowInsecureHttp = allowInsecureHttp;
        }).AddCookiePolicy(configure);
        build?.Invoke(builder);
        var app = builder.Build();
        app.UseAuthKit();
        app.MapGet("/write", (HttpContext c, string name, string value) => c.Response.Cookies.Append(name, value));
        app.MapGet("/write-bad-host", (HttpContext c) => c.Response.Cookies.Append("__Host-x", "1", new CookieOptions { Path = "/app", Domain = "example.com" }));
        app.MapGet("/write-none", (HttpContext c) => c.Response.Cookies.Append("cross", "1", new CookieOptions { SameSite = SameSiteMode.None }));
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new PolicyApp(app, logs);
    }

    private sealed class PolicyApp(WebApplication app, ListLogger logs) : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public ListLogger Logs { get; } = logs;

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }
}
