using System.Globalization;
using System.Security.Claims;
using AuthKit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using AuthKit.Sessions;

namespace AuthKit.Benchmarks.Http;

/// <summary>
/// One session-authenticated read-increment-write of a counter, three ways (each path has <c>/login</c> under it, used once per
/// wrk thread by <c>benchmarks/http/sessions.lua</c>):
/// <c>/sessions/authkit</c> (AuthKit session scheme, memory store, <c>HttpContext.Session</c>),
/// <c>/sessions/framework-session</c> (the framework's Session middleware on <c>AddDistributedMemoryCache</c>; "signed in" means
/// the session holds a user name, as apps built on it do), and <c>/sessions/framework-cookie</c> (the framework's cookie
/// authentication; the counter lives in the ticket, so each request decrypts it and re-issues the cookie).
/// Each answers the new counter value, so the lua script can count lost increments.
/// </summary>
internal static partial class BenchVariants
{
    private const string BenchCookieScheme = "BenchCookies";

    static partial void ConfigureSessionServices(IServiceCollection services)
    {
        services.AddAuthKit(o => o.AllowInsecureHttp = true).AddSessions(); // wrk talks plain HTTP
        services.AddDistributedMemoryCache();
        services.AddSession(o =>
        {
            o.Cookie.Name = "fw-session";
            o.IdleTimeout = TimeSpan.FromMinutes(20);
        });
        services.AddAuthentication().AddCookie(BenchCookieScheme, o =>
        {
            o.Cookie.Name = "fw-auth";
            o.SlidingExpiration = false;
        });
    }

    static partial void MapSessions(WebApplication app)
    {
        app.Map("/sessions/authkit", branch =>
        {
            // The session-loading middleware AddSessions() contributes to UseAuthKit(); authentication itself already ran.
            foreach (var contributor in branch.ApplicationServices.GetServices<IAuthKitPipelineContributor>())
            {
                if (contributor.Stage == AuthKitPipelineStage.AfterAuthentication)
                {
                    contributor.Configure(branch);
                }
            }

            branch.Map("/login", login => login.Run(context => context.SignInAsync(SessionAuthenticationDefaults.AuthenticationScheme, BenchPrincipal())));
            branch.Run(context => context.User.Identity?.IsAuthenticated == true ? IncrementSessionAsync(context) : Unauthorized(context));
        });

        app.Map("/sessions/framework-session", branch =>
        {
            branch.UseSession();
            branch.Map("/login", login => login.Run(context =>
            {
                context.Session.SetString("user", "bench-user");
                return context.Response.WriteAsync("signed in");
            }));
            branch.Run(context => context.Session.GetString("user") is not null ? IncrementSessionAsync(context) : Unauthorized(context));
        });

        app.Map("/sessions/framework-cookie", branch =>
        {
            branch.Use(async (context, next) =>
            {
                var result = await context.AuthenticateAsync(BenchCookieScheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                }

                await next(context);
            });
            branch.Map("/login", login => login.Run(context => context.SignInAsync(BenchCookieScheme, BenchPrincipal(0))));
            branch.Run(async context =>
            {
                if (context.User.Identity?.IsAuthenticated != true)
                {
                    await Unauthorized(context);
                    return;
                }

                var n = int.Parse(context.User.FindFirst("n")?.Value ?? "0", CultureInfo.InvariantCulture) + 1;
                await context.SignInAsync(BenchCookieScheme, BenchPrincipal(n));
                await context.Response.WriteAsync(n.ToString(CultureInfo.InvariantCulture));
            });
        });
    }

    private static Task IncrementSessionAsync(HttpContext context)
    {
        var n = (context.Session.GetInt32("n") ?? 0) + 1;
        context.Session.SetInt32("n", n);
        return context.Response.WriteAsync(n.ToString(CultureInfo.InvariantCulture));
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    private static ClaimsPrincipal BenchPrincipal(int? counter = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "bench-user"), new(ClaimTypes.Name, "bench-user") };
        if (counter is { } n)
        {
            claims.Add(new Claim("n", n.ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "bench"));
    }
}
