using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Redis.Tests.Faults;

/// <summary>
/// A real Kestrel host on 127.0.0.1 (port 0) with sessions on the Redis store at <c>redis</c>: <c>POST /login/{user}</c>
/// signs in, <c>GET /me</c> reads the session, <c>POST /count</c> increments a counter in <c>HttpContext.Session</c>, and
/// <c>GET /healthz</c> answers without touching the store.
/// </summary>
internal sealed class StallHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StallHost(WebApplication app, Uri address, TimeSpan storeTimeout)
    {
        _app = app;
        StoreTimeout = storeTimeout;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 512 })
        {
            BaseAddress = address,
            // Far above any bound a test asserts: a hang shows as a failed assertion, not as a stuck run.
            Timeout = TimeSpan.FromSeconds(90),
        };
    }

    public HttpClient Client { get; }

    public TimeSpan StoreTimeout { get; }

    public static async Task<StallHost> StartAsync(string redis, string keyPrefix, TimeSpan storeTimeout)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthKit(o => o.AllowInsecureHttp = true)
            .AddSessions(o => o.StoreTimeout = storeTimeout)
            .UseRedisSessionStore(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = keyPrefix;
                o.IndexPruneInterval = TimeSpan.Zero;
            });
        var app = builder.Build();
        app.UseAuthKit();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/login/{user}", async (string user, HttpContext context, ISessionManager sessions) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], "test");
            await sessions.SignInAsync(context, new ClaimsPrincipal(identity));
            return Results.Ok();
        });
        app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        app.MapPost("/count", (HttpContext context) =>
        {
            var n = (context.Session.GetInt32("n") ?? 0) + 1;
            context.Session.SetInt32("n", n);
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }).RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new StallHost(app, new Uri(app.Urls.First()), storeTimeout);
    }

    /// <summary>Signs <paramref name="user"/> in and returns its session cookies.</summary>
    public async Task<SessionTestApp.CookieJar> SignInAsync(string user)
    {
        var jar = new SessionTestApp.CookieJar();
        using var response = await SendAsync(HttpMethod.Post, "/login/" + user, jar);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(jar.Values);
        return jar;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, SessionTestApp.CookieJar? jar)
    {
        using var request = new HttpRequestMessage(method, path);
        if (jar is { Values.Count: > 0 })
        {
            request.Headers.Add("Cookie", jar.Header);
        }

        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        jar?.Update(response);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
