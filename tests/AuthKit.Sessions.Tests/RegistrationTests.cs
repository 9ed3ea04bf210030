using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddAuthKitSessions_composes_with_the_frameworks_builder_under_a_chosen_scheme_name()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication()
            .AddCookie("Cookies")
            .AddAuthKitSessions("MySessions", "My sessions", o => o.IdleTimeout = TimeSpan.FromMinutes(5));
        await using var app = builder.Build();
        app.UseAuthKit();
        app.MapPost("/login", (HttpContext c, ISessionManager m) => m.SignInAsync(c, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "test"))));
        app.MapGet("/me", (ClaimsPrincipal u) => u.FindFirstValue(ClaimTypes.NameIdentifier)).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "MySessions" });
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");

        using var login = await PostAsync(client, "/login");
        var cookie = Pair(SetCookie(login, SessionAuthenticationDefaults.CookieName)!);
        using var me = await GetAsync(client, "/me", cookie);

        Assert.Equal("alice", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal("My sessions", (await schemes.GetSchemeAsync("MySessions"))!.DisplayName);
        Assert.Null(await schemes.GetSchemeAsync(SessionAuthenticationDefaults.AuthenticationScheme));
        Assert.Equal("MySessions", app.Services.GetRequiredService<IOptions<AuthKitForwardingOptions>>().Value.DefaultScheme);
        Assert.Equal(TimeSpan.FromMinutes(5), app.Services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get("MySessions").IdleTimeout);
        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Services.GetRequiredService<ISessionStore>().ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal("MySessions", record.AuthenticationScheme);
    }

    [Fact]
    public async Task A_chosen_scheme_name_is_validated_at_start_too()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddAuthKitSessions("MySessions", o => o.IdleTimeout = TimeSpan.FromDays(2));
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AuthKit:Sessions:IdleTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_session_scheme_is_refused_with_a_message_that_names_both()
    {
        var services = new ServiceCollection();
        services.AddAuthentication().AddAuthKitSessions("One", null);

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddAuthentication().AddAuthKitSessions("Two", null));

        Assert.Contains("'One'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Two'", ex.Message, StringComparison.Ordinal);
        services.AddAuthentication().AddAuthKitSessions("One", null); // the same name again is harmless
    }

    [Fact]
    public async Task Contradictory_and_invalid_settings_are_all_reported_at_once_naming_each_setting()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestApp.Start);
        var builder = TestApp.CreateBuilder(time, new TestStore(time), new TestLogs(), null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:Sessions:IdleTimeout"] = "10:00:00",
            ["AuthKit:Sessions:MaxSessionsPerUser"] = "0",
            ["AuthKit:Sessions:LoginPath"] = "/signin",
            ["AuthKit:Sessions:ReturnUrlParameter"] = "",
        });
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.True(ex.Failures.Count() == 3, string.Join("\n", ex.Failures));
        Assert.Contains(ex.Failures, f => f.Contains("AuthKit:Sessions:IdleTimeout", StringComparison.Ordinal) && f.Contains("AbsoluteTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("AuthKit:Sessions:MaxSessionsPerUser", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("AuthKit:Sessions:ReturnUrlParameter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paths_bind_from_configuration_as_text()
    {
        // PathString is not an object with settable properties: it must bind from "AuthKit:Sessions:LoginPath" itself.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestApp.Start);
        var builder = TestApp.CreateBuilder(time, new TestStore(time), new TestLogs(), null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:Sessions:LoginPath"] = "/signin",
            ["AuthKit:Sessions:AccessDeniedPath"] = "/denied",
        });
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(SessionAuthenticationDefaults.AuthenticationScheme);
        Assert.Equal("/signin", options.LoginPath.Value);
        Assert.Equal("/denied", options.AccessDeniedPath.Value);
    }

    [Fact]
    public void Options_setters_accept_any_value_and_leave_judgement_to_the_validator()
    {
        var options = new SessionAuthenticationOptions
        {
            IdleTimeout = TimeSpan.FromDays(-1),
            MaxSessionsPerUser = -5,
            MaxDataSize = 0,
            StoreTimeout = TimeSpan.Zero,
        };

        Assert.Equal(-5, options.MaxSessionsPerUser);
    }

    [Fact]
    public async Task The_session_manager_passes_the_callers_cancellation_token_to_the_store()
    {
        // Each store call cancels the caller's token while it runs and records whether the token the store got followed.
        CancellationTokenSource? caller = null;
        var followed = new List<bool>();
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.RemoveByUserAsync("alice", It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((_, t) => followed.Add(CancelAndObserve(caller!, t)))
            .ReturnsAsync(2);
        store.Setup(s => s.GetAsync(It.IsAny<SessionKey>(), It.IsAny<CancellationToken>()))
            .Callback<SessionKey, CancellationToken>((_, t) => followed.Add(CancelAndObserve(caller!, t)))
            .ReturnsAsync((SessionRecord?)null);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store.Object);
        builder.Services.AddAuthKit().AddSessions();
        await using var app = builder.Build();
        var manager = app.Services.GetRequiredService<ISessionManager>();

        using (caller = new CancellationTokenSource())
        {
            Assert.Equal(2, await manager.RevokeAllSessionsAsync("alice", caller.Token));
        }

        using (caller = new CancellationTokenSource())
        {
            Assert.False(await manager.RevokeSessionAsync("alice", new string('a', 64), caller.Token));
        }

        Assert.Equal([true, true], followed);
        store.Verify(s => s.RemoveByUserAsync("alice", It.IsAny<CancellationToken>()), Times.Once);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => manager.RevokeAllSessionsAsync("alice", cancelled.Token));
        store.Verify(s => s.RemoveByUserAsync("alice", It.IsAny<CancellationToken>()), Times.Once);
    }

    private static bool CancelAndObserve(CancellationTokenSource caller, CancellationToken storeToken)
    {
        caller.Cancel();
        return storeToken.IsCancellationRequested;
    }
}
