#if AUTHKIT_FUZZ
using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Basic;
using AuthKit.Jwt;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// One TestServer app composing the whole toolkit as DESIGN.md shows it: <c>AddAuthKit().AddCookiePolicy().AddSessions()
/// .AddBasic&lt;T&gt;().AddJwt()</c> and <c>UseAuthKit()</c>, with an anonymous endpoint that reads and writes
/// <c>HttpContext.Session</c>, a protected one and a sign-in endpoint. Every log line is captured and tagged with its request.
/// </summary>
internal sealed class FuzzHost : IAsyncDisposable
{
    public const string Issuer = "https://fuzz.authkit.test";
    public const string UserName = "alice";
    public const string SecondUserName = "bob";

    // A colon and a non-ASCII letter inside: RFC 7617 splits on the first colon, and the default charset is UTF-8.
    public const string Password = "Tr0ub4dor:&3-w\u00fcrfel";
    public const string SessionCookie = "__Host-authkit";
    public const string LoopbackSessionCookie = "authkit";
    public const string AnonymousPath = "/anon";
    public const string ProtectedPath = "/protected";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string RequestIdHeader = "X-Fuzz-Request";

    /// <summary>Far longer than any request needs, even on a loaded 2-core machine: only a hang reaches it.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static readonly byte[] CookieKeySecret = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ i)).ToArray();
    public static readonly byte[] JwtKeySecret = Enumerable.Range(0, 32).Select(i => (byte)(0x5C + (i * 7))).ToArray();

    private long _nextRequest;

    private FuzzHost(WebApplication app, FuzzLogs logs, ConcurrentDictionary<string, string?> seenSessionCookies)
    {
        App = app;
        Logs = logs;
        SeenSessionCookies = seenSessionCookies;
    }

    /// <summary>The session cookie's value as the app's <c>Request.Cookies</c> parsed it, per request: what AuthKit was handed.</summary>
    public ConcurrentDictionary<string, string?> SeenSessionCookies { get; }

    public WebApplication App { get; }

    public TestServer Server => App.GetTestServer();

    public FuzzLogs Logs { get; }

    public static string ValidBasicToken(string user = UserName, string password = Password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>
    /// Starts the host. Basic failure throttling is off unless <paramref name="configureBasic"/> turns it on. Plain HTTP is relaxed
    /// (AuthKit:AllowInsecureHttp, for the cookies and Basic alike) unless <paramref name="allowInsecureHttp"/> is false.
    /// </summary>
    public static async Task<FuzzHost> StartAsync(Action<BasicAuthenticationOptions>? configureBasic = null, Action<CredentialThrottleOptions>? configureThrottle = null, bool allowInsecureHttp = true)
    {
        var logs = new FuzzLogs();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Services.AddAuthKit(o =>
            {
                o.ApplicationName = "fuzz";
                o.AllowInsecureHttp = allowInsecureHttp; // the inputs include plain HTTP with the unprefixed cookie, as the old loopback fallback had it
                o.Keys.Add(new AuthKitKeyOptions { KeyId = "fuzz1", Secret = Convert.ToBase64String(CookieKeySecret) });
            })
            .AddCookiePolicy()
            .AddSessions()
            .AddBasic<FuzzCredentialValidator>(o => configureBasic?.Invoke(o))
            .AddJwt(o =>
            {
                o.Issuer = Issuer;
                o.GenerateDevelopmentKeys = false;
                o.SigningKeys.Add(JwtSigningKey.FromSecret("hs1", "HS256", JwtKeySecret));
            });

        builder.Services.Configure<CredentialThrottleOptions>(o =>
        {
            // Off by default here, so every malformed or wrong credential reaches the parser and the validator instead of a 429.
            (o.MaxFailuresPerUser, o.MaxFailuresPerClient, o.MaxFailuresPerKnownClient, o.MaxConcurrentPerUser, o.MaxConcurrentPerClient) = (0, 0, 0, 0, 0);
            configureThrottle?.Invoke(o);
        });

        // Every credential on one protected endpoint: with sessions, AuthKit forwards Basic only to endpoints that ask for it, so
        // this host sends every Basic header to the Basic scheme, to fuzz its parser on the same endpoint as the others.
        builder.Services.PostConfigure<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme, o =>
        {
            var select = o.ForwardDefaultSelector!;
            o.ForwardDefaultSelector = c => AuthKit.Internal.AuthKitSchemeSelector.Carries(c, "Basic") ? BasicAuthenticationDefaults.AuthenticationScheme : select(c);
        });
        var app = builder.Build();
        var seen = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        var scopeLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fuzz.Request");
        app.Use(async (context, next) =>
        {
            var id = context.Request.Headers[RequestIdHeader].ToString();
            using (scopeLogger.BeginScope(new FuzzRequestScope(id)))
            {
                try
                {
                    seen[id] = context.Request.Cookies[context.Request.IsHttps ? SessionCookie : LoopbackSessionCookie];
                }
                catch (Exception ex)
                {
                    seen[id] = "<Request.Cookies threw " + ex.GetType().Name + ">";
                }

                await next(context);
            }
        });
        app.UseAuthKit();
        app.MapGet(AnonymousPath, (HttpContext context) =>
        {
            var count = int.TryParse(context.Session.GetString("n"), out var n) ? n : 0;
            context.Session.SetString("n", (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Results.Text("n=" + count);
        });
        app.MapGet(ProtectedPath, (ClaimsPrincipal user) => Results.Text("user=" + user.Identity?.Name)).RequireAuthorization();
        app.MapPost(SignInPath, async (HttpContext context) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, UserName), new Claim(ClaimTypes.Name, UserName)], "fuzz");
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Text("signed in");
        });

        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return Results.Text("signed out");
        });

        await app.StartAsync(TestContext.Current.CancellationToken);
        return new FuzzHost(app, logs, seen);
    }

    /// <summary>Sends one request built directly as an <see cref="HttpContext"/>, so header values reach AuthKit unvalidated.</summary>
    public async Task<FuzzResponse> SendAsync(string path, FuzzInput input, string method = "GET")
    {
        var id = Interlocked.Increment(ref _nextRequest).ToString(System.Globalization.CultureInfo.InvariantCulture);
        HttpContext context;
        try
        {
            context = await Server.SendAsync(c =>
            {
                var request = c.Request;
                request.Method = method;
                request.Scheme = input.Https ? "https" : "http";
                request.Host = new HostString(input.Host);
                request.Path = path;
                request.Headers[RequestIdHeader] = id;
                if (input.Cookie is not null)
                {
                    request.Headers.Cookie = input.Cookie;
                }

                if (input.Authorization.Count > 0)
                {
                    request.Headers.Authorization = input.Authorization;
                }

                if (input.RemoteAddress is not null)
                {
                    c.Connection.RemoteIpAddress = input.RemoteAddress;
                }
            }).WaitAsync(RequestTimeout);
        }
        catch (TimeoutException)
        {
            return new FuzzResponse(id, 0, string.Empty, new HeaderDictionary(), "timed out after " + RequestTimeout);
        }
        catch (Exception ex)
        {
            // TestServer surfaces an unhandled exception to the caller; Kestrel would have answered 500.
            var frames = (ex.StackTrace ?? string.Empty).Split('\n').Select(f => f.Trim()).Where(f => f.Length > 0).Take(6);
            return new FuzzResponse(id, 500, string.Empty, new HeaderDictionary(), ex.GetType().Name + ": " + ex.Message + "\n      " + string.Join("\n      ", frames));
        }

        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new FuzzResponse(id, context.Response.StatusCode, body, context.Response.Headers, null);
    }

    /// <summary>Signs <see cref="UserName"/> in through the session scheme and returns the session cookie's value.</summary>
    public async Task<string> SignInAsync() => SessionCookieOf(await SendAsync(SignInPath, FuzzInput.None, "POST"));

    /// <summary>The cookie of a real session that was signed in and then signed out: well signed, but dead.</summary>
    public async Task<string> SignedOutCookieAsync()
    {
        var cookie = await SignInAsync();
        var response = await SendAsync(SignOutPath, FuzzInput.None with { Cookie = SessionCookie + "=" + cookie }, "POST");
        Assert.Equal(200, response.Status);
        return cookie;
    }

    /// <summary>The cookie of a real anonymous session (created by a session write): live, but nobody signed in.</summary>
    public async Task<string> AnonymousCookieAsync() => SessionCookieOf(await SendAsync(AnonymousPath, FuzzInput.None));

    private static string SessionCookieOf(FuzzResponse response)
    {
        Assert.Equal(200, response.Status);
        var setCookie = response.Headers.SetCookie.Select(v => v ?? string.Empty).Single(v => v.StartsWith(SessionCookie + "=", StringComparison.Ordinal));
        return setCookie[(SessionCookie.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    public async Task<string> IssueTokenAsync()
    {
        var tokens = App.Services.GetRequiredService<ITokenService>();
        var identity = new ClaimsIdentity([new Claim("sub", UserName)], "fuzz", "sub", "role");
        var issued = await tokens.IssueAsync(new ClaimsPrincipal(identity), cancellationToken: TestContext.Current.CancellationToken);
        return issued.AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}

/// <summary>What a fuzz request carries, and what the protected endpoint must answer for it.</summary>
internal sealed record FuzzInput(string Kind, string? Cookie, StringValues Authorization, bool Https, Expect Expect)
{
    public static readonly FuzzInput None = new("none", null, StringValues.Empty, true, Expect.Refused);

    public IPAddress? RemoteAddress { get; init; }

    /// <summary>The request's <c>Host</c>; loopback by default.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>Whether the runner checks the refused request's log lines (off where the transport decides which cookie name is read).</summary>
    public bool LogsChecked { get; init; } = true;

    /// <summary>Whether the <c>Authorization</c> header goes to the Basic or Bearer scheme (one header naming it), so its refusal is due an AuthKit log line.</summary>
    public bool ReachesAuthKitParser { get; init; }

    /// <summary>Whether a refused session cookie is due an AuthKit log line (not for a live anonymous session, which is simply not signed in).</summary>
    public bool CookieLogDue { get; init; } = true;

    public override string ToString()
    {
        static string Show(string? s) => s is null ? "(none)" : s.Length <= 300
            ? Escape(s)
            : Escape(s[..150]) + $"…({s.Length} chars)…" + Escape(s[^60..]);
        static string Escape(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var c in s)
            {
                sb.Append(c is < ' ' or (> '~' and < '\u00a0') or (>= '\ud800' and <= '\udfff') ? $"\\u{(int)c:x4}" : c.ToString());
            }

            return sb.ToString();
        }

        static string Decoded(string? s)
        {
            var parts = s?.Split('.');
            if (s is null || !s.StartsWith("Bearer ", StringComparison.Ordinal) || parts!.Length != 3)
            {
                return string.Empty;
            }

            try
            {
                return " {header " + Show(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0].AsSpan("Bearer ".Length))))
                    + " payload " + Show(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))) + "}";
            }
            catch (FormatException)
            {
                return string.Empty;
            }
        }

        var auth = string.Join(" || ", Authorization.Select(a => Show(a) + Decoded(a)));
        return $"[{Kind}] {(Https ? "https" : "http")}://{Show(Host)} from {RemoteAddress?.ToString() ?? "(no address)"} Cookie: {Show(Cookie)} Authorization: {(Authorization.Count == 0 ? "(none)" : auth)}";
    }
}

internal enum Expect
{
    /// <summary>The real valid credentials, intact: the protected endpoint must answer 200.</summary>
    Authenticated,

    /// <summary>Altered or absent credentials: the protected endpoint must refuse (400, 401, 403 or 429).</summary>
    Refused,

    /// <summary>The valid credentials in a form a server may reasonably accept or refuse (case, quotes, chunks, duplicates).</summary>
    Either,
}

internal sealed record FuzzResponse(string RequestId, int Status, string Body, IHeaderDictionary Headers, string? Error);

/// <summary>Accepts <see cref="FuzzHost.UserName"/> and <see cref="FuzzHost.SecondUserName"/> with <see cref="FuzzHost.Password"/>.</summary>
internal sealed class FuzzCredentialValidator : IBasicCredentialValidator
{
    private static readonly byte[] Expected = Encoding.UTF8.GetBytes(FuzzHost.Password);

    public static long Calls;

    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken)
    {
        var (userName, password) = (context.UserName, context.Password);
        Interlocked.Increment(ref Calls);
        var known = userName is FuzzHost.UserName or FuzzHost.SecondUserName;
        var match = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Expected);
        ClaimsPrincipal? principal = known && match
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userName), new Claim(ClaimTypes.Name, userName)], "Basic"))
            : null;
        return ValueTask.FromResult(principal);
    }
}
#endif
