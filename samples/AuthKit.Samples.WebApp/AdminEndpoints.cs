using System.Text;
using AuthKit.Basic;
using Microsoft.Extensions.Options;

namespace AuthKit.Samples;

/// <summary>The admin area, behind HTTP Basic (the browser shows its own sign-in prompt).</summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        // The endpoint names the Basic scheme, so Basic counts here and nowhere else: a browser that answered this page's prompt
        // sends the header on every later page, and those pages keep showing the session's user (the AuthKit policy scheme
        // forwards Basic only to endpoints that ask for it when the app has sessions).
        app.MapGet("/admin", Admin)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(BasicAuthenticationDefaults.AuthenticationScheme).RequireRole("admin"));
    }

    private static IResult Admin(HttpContext context, IOptions<SampleOptions> sample, ISessionStore store)
    {
        var users = new StringBuilder();
        foreach (var (name, user) in sample.Value.Users)
        {
            users.Append($"<tr><td><code>{Html.E(name)}</code></td><td>{Html.E(user.DisplayName)}</td><td>{Html.E(string.Join(", ", user.Roles))}</td></tr>");
        }

        var body = $"""
            <div class="card" id="admin">
              <p>Signed in with <b>HTTP Basic</b> as <code>{Html.E(context.User.Identity?.Name)}</code>. Each request carries the password;
              AuthKit.Basic caches the verified credential for a short while, so the 600,000-iteration PBKDF2 hash is paid once, not per request.</p>
              <p>Basic counts on this page only: the endpoint names the Basic scheme, and the app's other pages authenticate with the
              session cookie alone. Your browser keeps sending this password on every page until it is closed; those pages still show
              the user of the sign-in form (or nobody).</p>
              <p>Session store: <code>{Html.E(store.GetType().Name)}</code>.</p>
            </div>
            <div class="card"><h2>Demo users</h2><table><thead><tr><th>User</th><th>Name</th><th>Roles</th></tr></thead><tbody>{users}</tbody></table></div>
            """;
        return Html.Page(context, "Admin", body);
    }
}
