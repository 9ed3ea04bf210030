using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Sessions.Tests;

public sealed class OptionsValidationTests
{
    public static TheoryData<string, string, string> BrokenCookies => new()
    {
        { "Path", "/app", "__Host- rule 'Path must be /'" },
        { "Domain", "shop.example", "__Host- rule 'no Domain'" },
        { "SecurePolicy", "SameAsRequest", "__Host- rule 'must be Secure'" },
    };

    [Theory]
    [MemberData(nameof(BrokenCookies))]
    public async Task Host_prefix_rules_stop_the_host_at_start_naming_the_cookie_and_the_rule(string setting, string value, string rule)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigAsync(new() { ["AuthKit:Sessions:Cookie:" + setting] = value }));

        Assert.Contains("AuthKit:Sessions:Cookie", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'__Host-authkit'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secure_prefix_and_samesite_none_rules_stop_the_host_at_start()
    {
        var secure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigAsync(new()
        {
            ["AuthKit:Sessions:Cookie:Name"] = "__Secure-sid",
            ["AuthKit:Sessions:Cookie:SecurePolicy"] = "None",
        }));
        var none = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigAsync(new()
        {
            ["AuthKit:Sessions:Cookie:Name"] = "sid",
            ["AuthKit:Sessions:Cookie:SameSite"] = "None",
            ["AuthKit:Sessions:Cookie:SecurePolicy"] = "SameAsRequest",
        }));

        Assert.Contains("'__Secure-sid' breaks the __Secure- rule 'must be Secure'", secure.Message, StringComparison.Ordinal);
        Assert.Contains("'sid' breaks the rule 'SameSite=None requires Secure'", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AuthKit:Sessions:IdleTimeout", "10:00:00", "IdleTimeout")]
    [InlineData("AuthKit:Sessions:SlidingRefreshInterval", "00:30:00", "SlidingRefreshInterval")]
    [InlineData("AuthKit:Sessions:StoreTimeout", "00:00:00", "StoreTimeout")]
    [InlineData("AuthKit:Sessions:Cookie:HttpOnly", "false", "Cookie:HttpOnly")]
    [InlineData("AuthKit:Sessions:Cookie:MaxAge", "01:00:00", "Cookie:Expiration and MaxAge")]
    public async Task Bad_settings_stop_the_host_with_a_message_naming_the_setting(string key, string value, string named)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigAsync(new() { [key] = value }));

        Assert.Contains("AuthKit:Sessions:" + named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_bind_from_configuration_then_code_runs()
    {
        await using var app = await StartWithConfigAsync(
            new()
            {
                ["AuthKit:Sessions:IdleTimeout"] = "00:05:00",
                ["AuthKit:Sessions:Cookie:Name"] = "__Host-shop",
                ["AuthKit:Sessions:StoreTimeout"] = "00:00:01",
            },
            o => o.AbsoluteTimeout = TimeSpan.FromHours(1));

        var options = app.Services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(SessionAuthenticationDefaults.AuthenticationScheme);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.AbsoluteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.StoreTimeout);
        Assert.Equal("__Host-shop", options.Cookie.Name);
        Assert.Equal(SameSiteMode.Lax, options.Cookie.SameSite);
    }

    [Fact]
    public async Task Sessions_become_the_authkit_default_and_adding_them_twice_is_harmless()
    {
        var time = new FakeTimeProvider(TestApp.Start);
        var builder = TestApp.CreateBuilder(time, new TestStore(time), new TestLogs(), null);
        builder.Services.AddAuthKit().AddSessions(o => o.IdleTimeout = TimeSpan.FromMinutes(7));
        await using var app = builder.Build();
        app.UseAuthKit();
        await app.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SessionAuthenticationDefaults.AuthenticationScheme, app.Services.GetRequiredService<IOptions<AuthKitForwardingOptions>>().Value.DefaultScheme);
        Assert.Equal(TimeSpan.FromMinutes(7), app.Services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(SessionAuthenticationDefaults.AuthenticationScheme).IdleTimeout);
        Assert.Single(app.Services.GetServices<IAuthKitPipelineContributor>(), c => c.Stage == AuthKitPipelineStage.AfterAuthentication);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<WebApplication> StartWithConfigAsync(Dictionary<string, string?> settings, Action<SessionAuthenticationOptions>? configure = null)
    {
        var time = new FakeTimeProvider(TestApp.Start);
        var builder = TestApp.CreateBuilder(time, new TestStore(time), new TestLogs(), configure);
        builder.Configuration.AddInMemoryCollection(settings);
        var app = builder.Build();
        app.UseAuthKit();
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
