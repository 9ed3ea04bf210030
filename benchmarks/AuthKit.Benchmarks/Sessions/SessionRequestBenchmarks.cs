using System.Globalization;
using System.Security.Claims;
using AuthKit;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AuthKit.Sessions;

namespace AuthKit.Benchmarks.Sessions;

/// <summary>
/// One authenticated request that reads, increments and writes one session value, in process (TestServer, HTTPS, no sockets):
/// AuthKit's session scheme on the memory store, the framework's Session middleware on <c>AddDistributedMemoryCache</c> ("signed
/// in" = the session holds a user name), and the framework's cookie authentication (the counter is a claim of the ticket, so
/// the request decrypts the cookie and re-issues it). <see cref="Bare"/> is the same request to an endpoint doing nothing.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*SessionRequest*'</c></remarks>
[Config(typeof(AuthKitBenchConfig))]
public class SessionRequestBenchmarks
{
    private const string CookieScheme = "BenchCookies";

    private WebApplication _app = null!;
    private TestServer _server = null!;
    private string _authKitCookie = null!;
    private string _sessionCookie = null!;
    private string _authCookie = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthKit().AddSessions();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSession(o => o.Cookie.Name = "fw-session");
        builder.Services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "fw-auth";
            o.SlidingExpiration = false;
        });
        _app = builder.Build();
        _app.UseAuthKit();
        _app.Map("/bare", b => b.Run(c => c.Response.WriteAsync("ok")));
        _app.Map("/authkit", b =>
        {
            b.Map("/login", l => l.Run(c => c.SignInAsync(SessionAuthenticationDefaults.AuthenticationScheme, Principal(null))));
            b.Run(c => c.User.Identity?.IsAuthenticated == true ? IncrementAsync(c) : DenyAsync(c));
        });
        _app.Map("/framework-session", b =>
        {
            b.UseSession();
            b.Map("/login", l => l.Run(c =>
            {
                c.Session.SetString("user", "bench-user");
                return c.Response.WriteAsync("signed in");
            }));
            b.Run(c => c.Session.GetString("user") is not null ? IncrementAsync(c) : DenyAsync(c));
        });
        _app.Map("/framework-cookie", b =>
        {
            b.Use(async (c, next) =>
            {
                var result = await c.AuthenticateAsync(CookieScheme);
                if (result.Succeeded)
                {
                    c.User = result.Principal;
                }

                await next(c);
            });
            b.Map("/login", l => l.Run(c => c.SignInAsync(CookieScheme, Principal(0))));
            b.Run(async c =>
            {
                if (c.User.Identity?.IsAuthenticated != true)
                {
                    await DenyAsync(c);
                    return;
                }

                var n = int.Parse(c.User.FindFirst("n")!.Value, CultureInfo.InvariantCulture) + 1;
                await c.SignInAsync(CookieScheme, Principal(n));
                await c.Response.WriteAsync(n.ToString(CultureInfo.InvariantCulture));
            });
        });
        _app.StartAsync().GetAwaiter().GetResult();
        _server = _app.GetTestServer();
        _server.BaseAddress = new Uri("https://localhost/");
        _authKitCookie = LoginAsync("/authkit/login").GetAwaiter().GetResult();
        _sessionCookie = LoginAsync("/framework-session/login").GetAwaiter().GetResult();
        _authCookie = LoginAsync("/framework-cookie/login").GetAwaiter().GetResult();
        foreach (var (path, cookie) in new[] { ("/authkit", _authKitCookie), ("/framework-session", _sessionCookie), ("/framework-cookie", _authCookie) })
        {
            if (SendAsync(path, cookie).GetAwaiter().GetResult() != 200)
            {
                throw new InvalidOperationException($"{path} did not authenticate: fix the set-up.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<int> Bare() => SendAsync("/bare", null);

    [Benchmark]
    public Task<int> AuthKit() => SendAsync("/authkit", _authKitCookie);

    [Benchmark]
    public Task<int> FrameworkSession() => SendAsync("/framework-session", _sessionCookie);

    [Benchmark]
    public Task<int> FrameworkCookieAuth() => SendAsync("/framework-cookie", _authCookie);

    private async Task<int> SendAsync(string path, string? cookie)
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            if (cookie is not null)
            {
                c.Request.Headers.Cookie = cookie;
            }
        });
        return context.Response.StatusCode;
    }

    private async Task<string> LoginAsync(string path)
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
        });
        var header = context.Response.Headers.SetCookie.ToString();
        return header[..header.IndexOf(';', StringComparison.Ordinal)];
    }

    private static Task IncrementAsync(HttpContext context)
    {
        var n = (context.Session.GetInt32("n") ?? 0) + 1;
        context.Session.SetInt32("n", n);
        return context.Response.WriteAsync(n.ToString(CultureInfo.InvariantCulture));
    }

    private static Task DenyAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    private static ClaimsPrincipal Principal(int? counter)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "bench-user"), new(ClaimTypes.Name, "bench-user") };
        if (counter is { } n)
        {
            claims.Add(new Claim("n", n.ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "bench"));
    }
}
