using System.Globalization;
using System.Security.Claims;
using AuthKit.Basic;
using AuthKit.Benchmarks.Basic;
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
using IdunnoBasicDefaults = idunno.Authentication.Basic.BasicAuthenticationDefaults;
using IdunnoBasicEvents = idunno.Authentication.Basic.BasicAuthenticationEvents;

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
    public const string AuthKitBasicPlain = "AuthKit Basic, plain check, no cache";
    public const string AuthKitBasicHashed = "AuthKit Basic, PBKDF2-600k, cache on";
    public const string IdunnoBasicPlain = "idunno Basic, plain check";

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
    /// HTTP Basic: AuthKit with a free check (a constant-time compare with a password in memory, the verified-credential cache
    /// off) and with a PBKDF2-600k hash and the cache on (the default), against idunno.Authentication.Basic with the free check.
    /// idunno with the PBKDF2 check pays the hash on every request (about half a second here): it cannot run in slices, so
    /// <see cref="IdunnoHashedAloneAsync"/> times a few of its requests after the suite.
    /// </summary>
    public static async Task<(List<Contender> Contenders, IAsyncDisposable Hosts)> BasicAsync()
    {
        var hosts = new Hosts();
        var bare = await hosts.StartAsync(_ => { }, app => app.MapGet("/basic", (ClaimsPrincipal user) => "ok")).ConfigureAwait(false);
        var plain = await StartAuthKitBasicAsync<BenchPlainValidator>(hosts, TimeSpan.Zero).ConfigureAwait(false);
        var hashed = await StartAuthKitBasicAsync<BenchHashedValidator>(hosts, TimeSpan.FromHours(1)).ConfigureAwait(false);
        var idunno = await StartIdunnoAsync(hosts, BasicBenchUsers.CheckPlain).ConfigureAwait(false);
        var trivial = await StartTrivialAsync(hosts, app =>
            app.MapGet("/basic", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization()).ConfigureAwait(false);
        var list = new List<Contender>
        {
            Request(Bare, bare, "/basic", null, BasicBenchUsers.Header),
            Request(TrivialScheme, trivial, "/basic", null, BasicBenchUsers.Header),
            Request(AuthKitBasicPlain, plain, "/basic", null, BasicBenchUsers.Header),
            Request(AuthKitBasicHashed, hashed, "/basic", null, BasicBenchUsers.Header),
            Request(IdunnoBasicPlain, idunno, "/basic", null, BasicBenchUsers.Header),
        };
        return (list, hosts);
    }

    /// <summary>Median milliseconds of <paramref name="requests"/> requests to idunno.Authentication.Basic checking a PBKDF2-600k hash.</summary>
    public static async Task<double> IdunnoHashedAloneAsync(int requests)
    {
        var hosts = new Hosts();
        await using (hosts.ConfigureAwait(false))
        {
            var run = Request("idunno Basic, PBKDF2-600k", await StartIdunnoAsync(hosts, BasicBenchUsers.CheckHashed).ConfigureAwait(false), "/basic", null, BasicBenchUsers.Header);
            var times = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                await run.RunMany(1).ConfigureAwait(false);
                times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            times.Sort();
            return times[times.Count / 2];
        }
    }

    private static Task<TestServer> StartAuthKitBasicAsync<TValidator>(Hosts hosts, TimeSpan cacheLifetime)
        where TValidator : class, IBasicCredentialValidator =>
        hosts.StartAsync(s => s.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "bench", Secret = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()) }))
            .AddBasic<TValidator>(o => o.CredentialCacheLifetime = cacheLifetime), app =>
        {
            app.UseAuthKit();
            app.MapGet("/basic", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        });

    private static Task<TestServer> StartIdunnoAsync(Hosts hosts, Func<string, string, ClaimsPrincipal?> check) =>
        hosts.StartAsync(s =>
        {
            s.AddAuthentication(IdunnoBasicDefaults.AuthenticationScheme).AddBasic(o => o.Events = new IdunnoBasicEvents
            {
                OnValidateCredentials = context =>
                {
                    if (check(context.Username, context.Password) is { } principal)
                    {
                        context.Principal = principal;
                        context.Success();
                    }

                    return Task.CompletedTask;
                },
            });
            s.AddAuthorization();
        }, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/basic", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        });

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
