using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Core.Tests;

public sealed class AuthKitRegistrationTests
{
    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddAuthKit_makes_the_AuthKit_policy_scheme_the_default_and_registers_the_memory_store()
    {
        using var sp = Build(s => s.AddAuthKit());
        var schemes = sp.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal(AuthKitDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())!.Name);
        Assert.IsType<MemorySessionStore>(sp.GetRequiredService<ISessionStore>());
        Assert.IsType<Pbkdf2PasswordHasher>(sp.GetRequiredService<IAuthKitPasswordHasher>());
        Assert.Same(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
        Assert.NotNull(sp.GetRequiredService<AuthKitMetrics>());
    }

    [Fact]
    public async Task Calling_AddAuthKit_twice_is_harmless_and_applies_both_configurations()
    {
        using var sp = Build(s =>
        {
            s.AddAuthKit(o => o.ApplicationName = "first");
            s.AddAuthKit(o => o.ApplicationName = "second").UseMemorySessionStore().UseMemorySessionStore();
        });
        var schemes = (await sp.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync()).Select(s => s.Name).ToList();
        Assert.Single(schemes, AuthKitDefaults.AuthenticationScheme);
        Assert.Equal("second", sp.GetRequiredService<IOptions<AuthKitOptions>>().Value.ApplicationName);
        Assert.Single(sp.GetServices<ISessionStore>());
    }

    [Fact]
    public async Task The_apps_own_default_scheme_is_kept()
    {
        using var sp = Build(s =>
        {
            s.AddAuthentication("Mine").AddScheme<AuthenticationSchemeOptions, NoOpHandler>("Mine", null);
            s.AddAuthKit();
        });
        Assert.Equal("Mine", (await sp.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())!.Name);
    }

    [Fact]
    public void TimeProvider_registered_by_the_app_is_used()
    {
        var fake = new FakeTimeProvider();
        using var sp = Build(s =>
        {
            s.AddSingleton<TimeProvider>(fake);
            s.AddAuthKit();
        });
        Assert.Same(fake, sp.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Memory_store_options_bind_and_validate()
    {
        using var sp = Build(s => s.AddAuthKit().UseMemorySessionStore(o => o.MaxRecords = 7));
        Assert.Equal(7, sp.GetRequiredService<IOptions<MemorySessionStoreOptions>>().Value.MaxRecords);
    }

    [Fact]
    public async Task UseAuthKit_twice_and_beside_UseAuthentication_runs_authentication_once()
    {
        var calls = 0;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthKit();
        builder.Services.AddSingleton(new CountingHandler.Counter(() => Interlocked.Increment(ref calls)));
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, CountingHandler>("Counting", null);
        builder.Services.Configure<AuthKitForwardingOptions>(o => o.DefaultScheme = "Counting");
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthKit();
        app.UseAuthKit();
        app.MapGet("/", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? "yes" : "no");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var response = await app.GetTestClient().GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal("yes", response);
        Assert.Equal(1, calls);
    }

    private sealed class NoOpHandler(IOptionsMonitor<AuthenticationSchemeOptions> o, Microsoft.Extensions.Logging.ILoggerFactory l, System.Text.Encodings.Web.UrlEncoder e)
        : AuthenticationHandler<AuthenticationSchemeOptions>(o, l, e)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
