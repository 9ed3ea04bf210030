using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Sessions.Tests;

/// <summary>A TestServer app with the session scheme, a fake clock, a counting store and captured logs.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private TestApp(WebApplication app, FakeTimeProvider time, TestStore store, TestLogs logs)
    {
        App = app;
        Time = time;
        Store = store;
        Logs = logs;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public TestStore Store { get; }

    public TestLogs Logs { get; }

    public TestServer Server => App.GetTestServer();

    /// <summary>A request header the test app turns into <c>Connection.RemoteIpAddress</c> (TestServer has no TCP peer).</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    public static WebApplicationBuilder CreateBuilder(FakeTimeProvider time, TestStore store, TestLogs logs, Action<SessionAuthenticationOptions>? configure, string? environment = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment ?? Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ISessionStore>(store);
        builder.Services.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "k1", Secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) }))
            .AddSessions(configure);
        return builder;
    }

    public static async Task<TestApp> StartAsync(Action<SessionAuthenticationOptions>? configure = null, Action<WebApplicationBuilder>? build = null, Action<WebApplication>? map = null, string? environment = null)
    {
        var time = new FakeTimeProvider(Start);
        var store = new TestStore(time);
        var logs = new TestLogs();
        var builder = CreateBuilder(time, store, logs, configure, environment);
        build?.Invoke(builder);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(RemoteIpHeader, out var remote))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
            }

            return next(context);
        });
        app.UseAuthKit();
        MapDefaults(app);
        map?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app, time, store, logs);
    }

    public HttpClient Client(string baseAddress = "https://localhost/")
    {
        var client = Server.CreateClient();
        client.BaseAddress = new Uri(baseAddress);
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }

    private static void MapDefaults(WebApplication app)
    {
        app.MapPost("/login", async (HttpContext context, string user) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], "test");
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return "signed in";
        });
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return "signed out";
        });
        app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        app.MapGet("/public", (ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? "user:" + user.Identity.Name : "anonymous");
        app.MapPost("/data/{key}", (HttpContext context, string key, string value) =>
        {
            context.Session.SetString(key, value);
            return "ok";
        });
        app.MapGet("/data/{key}", (HttpContext context, string key) => context.Session.GetString(key) ?? "(none)");
        app.MapPost("/counter", (HttpContext context) =>
        {
            var n = (context.Session.GetInt32("n") ?? 0) + 1;
            context.Session.SetInt32("n", n);
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}

/// <summary>Reads raw <c>Set-Cookie</c> headers and replays cookies by hand, so tests see exactly what a browser would.</summary>
internal static class Cookies
{
    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    public static string? SetCookie(HttpResponseMessage response, string name) =>
        SetCookies(response).LastOrDefault(h => h.StartsWith(name + "=", StringComparison.Ordinal));

    /// <summary>The <c>name=value</c> pair of a Set-Cookie header, ready for a <c>Cookie</c> request header.</summary>
    public static string Pair(string setCookie) => setCookie.Split(';')[0];

    public static string Value(string setCookie) => Pair(setCookie)[(Pair(setCookie).IndexOf('=', StringComparison.Ordinal) + 1)..];

    public static IReadOnlyList<string> Attributes(string setCookie) =>
        [.. setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    public static bool IsDeletion(string setCookie) => setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? cookie = null, string? remoteIp = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (remoteIp is not null)
        {
            request.Headers.Add(TestApp.RemoteIpHeader, remoteIp);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? cookie = null, string? remoteIp = null) => SendAsync(client, HttpMethod.Get, url, cookie, remoteIp);

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string? cookie = null, string? remoteIp = null) => SendAsync(client, HttpMethod.Post, url, cookie, remoteIp);

    /// <summary>Signs in and returns the session cookie's <c>name=value</c> pair.</summary>
    public static async Task<string> LoginAsync(HttpClient client, string user = "alice", string? cookie = null, string name = SessionAuthenticationDefaults.CookieName, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login?user=" + user);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var set = SetCookie(response, name);
        Assert.NotNull(set);
        return Pair(set);
    }
}
