using AuthKit.Sessions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AuthKit.Samples;

/// <summary>
/// Makes visible what a browser otherwise only sees as "asked to sign in again": it sent a session cookie, and the instance
/// that served the request does not know that session. With the memory store behind a load balancer that is every other
/// request (each instance keeps its own sessions); with a shared store it means the session ended.
/// </summary>
internal static class UnknownSessionNotice
{
    /// <summary>The query parameter that carries, across the redirect to the login page, the instance that did not know the session.</summary>
    public const string QueryParameter = "unknown-session";

    private static readonly object s_carriedCookie = new();

    /// <summary>Notes requests that carry a session cookie; a redirect of such a request to the login page names this instance.</summary>
    public static IApplicationBuilder UseUnknownSessionNotice(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (CarriesSessionCookie(context))
        {
            context.Items[s_carriedCookie] = true;
            context.Response.OnStarting(() =>
            {
                if (IsUnknown(context) && IsLoginRedirect(context.Response, out var location))
                {
                    var instance = context.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value.InstanceName;
                    context.Response.Headers.Location = QueryHelpers.AddQueryString(location, QueryParameter, instance);
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary>
    /// A notice when this request (or, on the login page, the request redirected here) carried a session cookie that the
    /// serving instance did not know; empty otherwise.
    /// </summary>
    public static string Html(HttpContext context)
    {
        var sample = context.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value;
        string? instance = IsUnknown(context) ? sample.InstanceName : context.Request.Query[QueryParameter];
        if (string.IsNullOrEmpty(instance))
        {
            return "";
        }

        var i = Samples.Html.E(instance);
        var why = string.Equals(sample.Store, "memory", StringComparison.OrdinalIgnoreCase)
            ? $"""
              The session store is <b>memory</b>: each instance keeps its sessions in its own memory. You signed in on another
              instance, and the load balancer sent this request to instance <b>{i}</b>, which has never heard of that session — so you
              are asked to sign in again. That is the problem a shared store solves: start the cluster with <code>--store file</code> or
              <code>--store redis</code>, and every instance knows every session.
              """
            : """
              The session has ended: you signed out, it was revoked (perhaps with "sign out everywhere" on another device), or it
              expired. Sign in again.
              """;
        return $"""
            <div class="card notice" id="unknown-session">
              <p>This browser sent a session cookie, but instance <b>{i}</b> does not know that session.</p>
              <p>{why}</p>
            </div>
            """;
    }

    // A request with a cookie that made no signed-in user: unknown, expired, revoked or forged.
    private static bool IsUnknown(HttpContext context) =>
        context.Items.ContainsKey(s_carriedCookie) && context.User.Identity?.IsAuthenticated != true;

    private static bool CarriesSessionCookie(HttpContext context)
    {
        var name = context.RequestServices.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>()
            .Get(SessionAuthenticationDefaults.AuthenticationScheme).Cookie.Name ?? SessionAuthenticationDefaults.CookieName;
        // On plain-HTTP loopback the cookie drops its __Host- prefix.
        var unprefixed = name.StartsWith("__Host-", StringComparison.Ordinal) ? name["__Host-".Length..]
            : name.StartsWith("__Secure-", StringComparison.Ordinal) ? name["__Secure-".Length..]
            : name;
        return context.Request.Cookies.ContainsKey(name) || context.Request.Cookies.ContainsKey(unprefixed);
    }

    private static bool IsLoginRedirect(HttpResponse response, out string location)
    {
        location = response.Headers.Location.ToString();
        if (response.StatusCode is not (StatusCodes.Status302Found or StatusCodes.Status303SeeOther) || location.Length == 0)
        {
            return false;
        }

        var path = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : location.Split('?')[0];
        return string.Equals(path, "/login", StringComparison.OrdinalIgnoreCase);
    }
}
