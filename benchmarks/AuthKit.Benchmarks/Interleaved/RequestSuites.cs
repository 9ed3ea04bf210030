using System.Globalization;
using System.Security.Claims;
using AuthKit.Benchmarks.Jwt;
using AuthKit.Jwt;
using AuthKit.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using System.Text.Encodings.Web;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>
/// Whole requests in process: one <see cref="TestServer"/> per variant (HTTPS, no sockets), each with only its own middleware,
/// so "added cost" is the variant's request minus the bare host's request of the same round. Every authenticated variant
/// authenticates, authorizes (<c>RequireAuthorization()</c>) and runs the same endpoint code.
/// </summary>
internal static class RequestSuites
{
    public const string Bare = "bare";
    public const string AuthKitSession = "AuthKit session";
    public const string AuthKitSessionRead = "AuthKit session, read only";
    public const string Framework = "Cookie auth + Session";
    public const string FrameworkRead = "Cookie auth + Session, read only";
    public const string AuthKitBearer = "AuthKit Bearer";
    public const string JwtBearer = "JwtBearer";
    public const string TrivialScheme = "trivial scheme (pipeline floor)";

    private const string CookieScheme = "BenchCookies";

    public static async Task<(List<Contender> Contenders, IAsyncDisposable Hosts)> SessionsAsync()
    {
        var hosts = new Hosts();
        var bare = await hosts.StartAsync(_ => { }, app =>
        {
            app.MapGet("/rw", (HttpContext c) => c.Response.WriteAsync("1"));
            app.MapGet("/r", (HttpContext c) => c.Response.WriteAsync("1"));
        }).ConfigureAwait(false);

        var authKit = await hosts.StartAsync(s => s.AddAuthKit().AddSessions(), app =>
        {
            app.UseAuthKit();
            app.MapGet("/login", (HttpContext c) => c.SignInAsync(SessionAuthenticationDefaults.AuthenticationScheme, Principal()));
            app.MapGet("/rw", IncrementAsync).RequireAuthorization();
            app.MapGet("/r", ReadAsync).RequireAuthorization();
        }).ConfigureAwait(false);

        // What an app composes for the same job with the framework: cookie authentication (authenticate only: no sliding
        // re-issue) for the user, the Session middleware on the distributed memory cache for the data.
        var framework = await hosts.StartAsync(s =>
        {
            s.AddAuthentication(CookieScheme).AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "fw-auth";
                o.SlidingExpiration = false;
            });
            s.AddAuthorization();
            s.AddDistributedMemoryCache();
            s.AddSession(o => o.Cookie.Name = "fw-session");
        }, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseSession();
            app.MapGet("/login", async (HttpContext c) =>
            {
                c.Session.SetInt32("n", 0);
                await c.SignInAsync(CookieScheme, Principal()).ConfigureAwait(false);
            });
            app.MapGet("/rw", IncrementAsync).RequireAuthorization();
            app.MapGet("/r", ReadAsync).RequireAuthorization();
        }).ConfigureAwait(false);

        var trivial = await StartTrivialAsync(hosts, app =>
        {
            app.MapGet("/rw", (HttpContext c) => c.Response.WriteAsync("1")).RequireAuthorization();
            app.MapGet("/r", (HttpContext c) => c.Response.WriteAsync("1")).RequireAuthorization();
        }).ConfigureAwait(false);

        var authKitCookie = await LoginAsync(authKit, "/login").ConfigureAwait(false);
        var frameworkCookie = await LoginAsync(framework, "/login").ConfigureAwait(false);
        var list = new List<Contender>
        {
            Request(Bare, bare, "/rw", null, null),
            Request(TrivialScheme, trivial, "/rw", null, null),
            Request(AuthKitSession, authKit, "/rw", authKitCookie, null),
            Request(Framework, framework, "/rw", frameworkCookie, null),
            Request(AuthKitSessionRead, authKit, "/r", authKitCookie, null),
            Request(FrameworkRead, framework, "/r", frameworkCookie, null),
        };
        return (list, hosts);
    }

    public static async Task<(List<Contender> Contenders, IAsyncDisposable Hosts)> BearerAsync()
    {
        var hosts = new Hosts();
        var bare = await hosts.StartAsync(_ => { }, app => app.MapGet("/api", (ClaimsPrincipal user) => "ok")).ConfigureAwait(false);
        var authKit = await hosts.StartAsync(s => s.AddAuthKit().AddJwt(o =>
        {
            o.Issuer = JwtBenchKeys.Issuer;
            o.Audience = JwtBenchKeys.Audience;
            o.SigningKeys.Add(JwtSigningKey.FromSecret(JwtBenchKeys.HsKid, JwtAlgorithms.HS256, JwtBenchKeys.Secret));
        }), app =>
        {
            app.UseAuthKit();
            app.MapGet("/api", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        }).ConfigureAwait(false);

        // The framework's handler with the same checks (issuer, audience, lifetime with 30 s skew, HS256 only, typ at+jwt), otherwise its defaults.
        var framework = await hosts.StartAsync(s =>
        {
            s.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
                o.TokenValidationParameters = JwtBenchKeys.Parameters(new SymmetricSecurityKey(JwtBenchKeys.Secret) { KeyId = JwtBenchKeys.HsKid }, SecurityAlgorithms.HmacSha256));
            s.AddAuthorization();
        }, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/api", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        }).ConfigureAwait(false);

        var trivial = await StartTrivialAsync(hosts, app =>
            app.MapGet("/api", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization()).ConfigureAwait(false);

        // One neutral token for both (the floor's writer), valid for 15 minutes: a run takes well under that.
        var authorization = "Bearer " + JwtBenchKeys.Hs256Token(JwtBenchKeys.Now);
        var list = new List<Contender>
        {
            Request(Bare, bare, "/api", null, authorization),
            Request(TrivialScheme, trivial, "/api", null, authorization),
            Request(AuthKitBearer, authKit, "/api", null, authorization),
            Request(JwtBearer, framework, "/api", null, authorization),
        };
        return (list, hosts);
    }

    /// <summary>
    /// The least any authenticated request pays in the framework: the authentication and authorization middleware around a scheme
    /// that reads nothing and returns one prebuilt ticket. What a variant adds beyond this is its own work.
    /// </summary>
    private static Task<TestServer> StartTrivialAsync(Hosts hosts, Action<WebApplication> map) =>
        hosts.StartAsync(s =>
        {
            s.AddAuthentication(TrivialHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TrivialHandler>(TrivialHandler.SchemeName, null);
            s.AddAuthorization();
        }, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            map(app);
        });

    private static Contender Request(string name, TestServer server, string path, string? cookie, string? authorization) =>
        Contender.Async(name, async () =>
        {
            var context = await server.SendAsync(c =>
            {
                c.Request.Method = HttpMethods.Get;
                c.Request.Path = path;
                if (cookie is not null)
                {
                    c.Request.Headers.Cookie = cookie;
                }

                if (authorization is not null)
                {
                    c.Request.Headers.Authorization = authorization;
                }
            }).ConfigureAwait(false);
            return context.Response.StatusCode == 200;
        });

    private static async Task<string> LoginAsync(TestServer server, string path)
    {
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
        }).ConfigureAwait(false);
        var cookies = context.Response.Headers.SetCookie.Select(h => h![..h!.IndexOf(';', StringComparison.Ordinal)]);
        return string.Join("; ", cookies);
    }

    private static Task IncrementAsync(HttpContext context)
    {
        var n = (context.Session.GetInt32("n") ?? 0) + 1;
        context.Session.SetInt32("n", n);
        return context.Response.WriteAsync(n.ToString(CultureInfo.InvariantCulture));
    }

    private static Task ReadAsync(HttpContext context) =>
        context.Response.WriteAsync((context.Session.GetInt32("n") ?? 0).ToString(CultureInfo.InvariantCulture));

    private static ClaimsPrincipal Principal() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "bench-user"), new Claim(ClaimTypes.Name, "bench-user")], "bench"));

    private sealed class Hosts : IAsyncDisposable
    {
        private readonly List<WebApplication> _apps = [];

        public async Task<TestServer> StartAsync(Action<IServiceCollection> services, Action<WebApplication> configure)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            services(builder.Services);
            var app = builder.Build();
            configure(app);
            await app.StartAsync().ConfigureAwait(false);
            _apps.Add(app);
            var server = app.GetTestServer();
            server.BaseAddress = new Uri("https://localhost/");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var app in _apps)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class TrivialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Trivial";

        private static readonly AuthenticateResult s_result = AuthenticateResult.Success(new AuthenticationTicket(Principal(), SchemeName));

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(s_result);
    }
}
