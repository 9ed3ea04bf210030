using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>
/// An app on the session scheme and the Redis store: <c>POST /login/{user}</c> signs in, <c>GET /me</c> reads the session
/// (unchanged), <c>POST /count</c> increments a counter in <c>HttpContext.Session</c> (changed).
/// </summary>
internal sealed class SessionTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SessionTestApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestServer().CreateClient();
        Client.BaseAddress = new Uri("https://localhost/");
        Client.Timeout = TimeSpan.FromSeconds(60);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SessionTestApp> StartAsync(Action<RedisSessionStoreOptions> store, Action<IServiceCollection>? services = null, TimeSpan? storeTimeout = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var authKit = builder.Services.AddAuthKit()
            .AddSessions(o => o.StoreTimeout = storeTimeout ?? TimeSpan.FromSeconds(2))
            .UseRedisSessionStore(o =>
            {
                o.IndexPruneInterval = TimeSpan.Zero;
                store(o);
            });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseAuthKit();
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
        return new SessionTestApp(app);
    }

    /// <summary>Signs <paramref name="user"/> in and returns the cookies the response set.</summary>
    public async Task<CookieJar> SignInAsync(string user)
    {
        var jar = new CookieJar();
        var response = await SendAsync(HttpMethod.Post, "login/" + user, jar, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(jar.Values);
        return jar;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CookieJar jar, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (jar.Values.Count > 0)
        {
            request.Headers.Add("Cookie", jar.Header);
        }

        var response = await Client.SendAsync(request, cancellationToken);
        jar.Update(response);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The cookies of one client, from raw <c>Set-Cookie</c> headers.</summary>
    internal sealed class CookieJar
    {
        private readonly object _gate = new();

        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>Every value a <c>Set-Cookie</c> header ever carried, to look for in the store.</summary>
        public List<string> Seen { get; } = [];

        public string Header
        {
            get
            {
                lock (_gate)
                {
                    return string.Join("; ", Values.Select(p => p.Key + "=" + p.Value));
                }
            }
        }

        public void Update(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var headers))
            {
                return;
            }

            lock (_gate)
            {
                foreach (var header in headers)
                {
                    var pair = header.Split(';', 2)[0];
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    var name = pair[..eq].Trim();
                    var value = pair[(eq + 1)..].Trim();
                    var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || value.Length == 0;
                    if (expired)
                    {
                        Values.Remove(name);
                    }
                    else
                    {
                        Values[name] = value;
                        Seen.Add(value);
                    }
                }
            }
        }
    }
}
