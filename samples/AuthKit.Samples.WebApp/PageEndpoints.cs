using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using AuthKit.Sessions;

namespace AuthKit.Samples;

/// <summary>The pages a person uses in a browser: home, sign-in, account (with a cart kept in the session), sessions, sign-out.</summary>
internal static class PageEndpoints
{
    public static readonly string[] Catalog = ["Coffee", "Tea", "Croissant", "Apple pie"];
    private const string CartKey = "cart";

    public static void MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home);
        app.MapGet("/login", (HttpContext context, string? returnUrl) => LoginPage(context, returnUrl, error: null));
        app.MapPost("/login", SignInAsync);
        app.MapPost("/logout", SignOutAsync);

        var account = app.MapGroup("").RequireAuthorization();
        account.MapGet("/account", AccountAsync);
        account.MapPost("/cart/add", AddToCart);
        account.MapPost("/cart/clear", ClearCart);
        account.MapGet("/sessions", SessionsAsync);
        account.MapPost("/sessions/revoke", RevokeAsync);
        account.MapPost("/sessions/revoke-all", RevokeAllAsync);
    }

    private static IResult Home(HttpContext context, [FromQuery(Name = "signedout")] string? signedOut)
    {
        var user = context.User;
        var body = new StringBuilder(UnknownSessionNotice.Html(context));
        if (signedOut is not null)
        {
            body.Append($"""<div class="card notice" id="signed-out">{(signedOut == "everywhere" ? "You were signed out on every device." : "You are signed out.")}</div>""");
        }

        if (user.Identity?.IsAuthenticated == true)
        {
            body.Append($"""
                <div class="card" id="status">You are <b>signed in</b> as {Html.E(Html.DisplayName(user))} (<code>{Html.E(user.Identity.Name)}</code>).
                See your <a href="/account">account</a> and <a href="/sessions">sessions</a>.</div>
                """);
        }
        else
        {
            body.Append("""<div class="card" id="status">You are <b>not signed in</b>. <a href="/login">Sign in</a> with one of the demo users listed there.</div>""");
        }

        body.Append("""
            <div class="card">
            <p>This app shows every AuthKit package in one host:</p>
            <ul>
              <li>a session cookie carrying only a random ID, the session itself kept server-side (memory, file or Redis store);</li>
              <li><code>HttpContext.Session</code> backed by the same store (the cart on the account page);</li>
              <li>"your sessions" with revoke buttons and "sign out everywhere";</li>
              <li>a JWT API: <code>POST /api/token</code>, <code>GET /api/orders</code>, refresh and revoke under <code>/api/token/</code>, <code>/.well-known/jwks.json</code>;</li>
              <li>an <a href="/admin">admin area</a> behind HTTP Basic.</li>
            </ul>
            </div>
            """);
        return Html.Page(context, "Welcome", body.ToString());
    }

    private static IResult LoginPage(HttpContext context, string? returnUrl, string? error)
    {
        var body = $"""
            {UnknownSessionNotice.Html(context)}
            {(error is null ? "" : $"""<div class="card error" id="login-error">{Html.E(error)}</div>""")}
            <form class="card" method="post" action="/login" id="login-form">
              {Html.Antiforgery(context)}
              <input type="hidden" name="returnUrl" value="{Html.E(IsLocalUrl(returnUrl) ? returnUrl : "/account")}">
              <label for="username">User name</label>
              <input type="text" id="username" name="username" autocomplete="username" autofocus required>
              <label for="password">Password</label>
              <input type="password" id="password" name="password" autocomplete="current-password" required>
              <p><button type="submit" id="sign-in-button">Sign in</button></p>
            </form>
            {LoginHint(context)}
            """;
        return Html.Page(context, "Sign in", body, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The demo users and their passwords, shown under the form. A demo only: never show real users' passwords.</summary>
    private static string LoginHint(HttpContext context)
    {
        var users = context.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value.Users
            .Where(u => u.Value.DemoPassword is not null)
            .Select(u => $"<li><code>{Html.E(u.Key)}</code> / <code>{Html.E(u.Value.DemoPassword)}</code>{(u.Value.Roles.Count > 0 ? $" ({Html.E(string.Join(", ", u.Value.Roles))})" : "")}</li>")
            .ToList();
        if (users.Count == 0)
        {
            return "";
        }

        return $"""
            <div class="card notice" id="login-hint">
              <p>Demo users (from <code>AuthKitSample:Users</code> in <code>appsettings.json</code>):</p>
              <ul>{string.Concat(users)}</ul>
              <p>The <a href="/admin">admin area</a> takes HTTP Basic instead: your browser asks for <code>admin</code>'s password itself.</p>
            </div>
            """;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context,
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        DemoUserDirectory users,
        ISessionManager sessions,
        ICredentialThrottle throttle)
    {
        // One attempt slot, reserved before the password hash runs; 429 + Retry-After while this user or client is throttled.
        await using var attempt = await throttle.TryAcquireAsync(username ?? "", context, context.RequestAborted);
        if (!attempt.IsAcquired)
        {
            attempt.Status.ApplyTo(context.Response);
            var wait = $"""<div class="card error" id="login-error">Too many sign-in attempts. Try again in {attempt.Status.RetryAfterSeconds} s.</div>""";
            return Html.Page(context, "Sign in", wait, StatusCodes.Status429TooManyRequests);
        }

        var principal = users.Validate(username, password, SessionAuthenticationDefaults.AuthenticationScheme);
        if (principal is null)
        {
            await attempt.RecordFailureAsync(CancellationToken.None);
            return LoginPage(context, returnUrl, "Wrong user name or password.");
        }

        await attempt.RecordSuccessAsync(CancellationToken.None);

        // A new session ID is issued here (the anonymous one, if any, dies): no session fixation.
        await sessions.SignInAsync(context, principal);
        return Results.Redirect(IsLocalUrl(returnUrl) ? returnUrl : "/account");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ISessionManager sessions)
    {
        await sessions.SignOutAsync(context);
        return Results.Redirect("/?signedout");
    }

    private static async Task<IResult> AccountAsync(HttpContext context, ISessionManager sessions)
    {
        var user = context.User;
        var current = (await sessions.ListSessionsAsync(context)).FirstOrDefault(s => s.IsCurrent);
        var cart = ReadCart(context.Session);
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var body = new StringBuilder($"""
            <div class="card" id="who">
              <p>User name: <code id="account-user">{Html.E(user.Identity?.Name)}</code> · display name: {Html.E(Html.DisplayName(user))}
              {(roles.Count > 0 ? $" · roles: {Html.E(string.Join(", ", roles))}" : "")}</p>
            """);
        if (current is not null)
        {
            body.Append($"""
                  <p>Session started <span id="session-created">{Html.Time(current.CreatedAt)}</span>;
                  it ends when idle until <span id="session-idle-expires">{Html.Time(current.IdleExpiresAt)}</span>,
                  and at the latest at <span id="session-absolute-expires">{Html.Time(current.AbsoluteExpiresAt)}</span>.</p>
                """);
        }

        body.Append("</div>");
        body.Append($"""
            <div class="card" id="cart">
              <h2>Your cart</h2>
              <p>Kept server-side in <code>HttpContext.Session</code>, in the same store as the session.</p>
              {(cart.Count == 0 ? """<p id="cart-empty">The cart is empty.</p>""" : $"""<ul id="cart-items">{string.Concat(cart.Select(i => $"<li>{Html.E(i)}</li>"))}</ul>""")}
              <form class="inline" method="post" action="/cart/add">
                {Html.Antiforgery(context)}
                <select name="item" id="cart-item">{string.Concat(Catalog.Select(i => $"<option>{Html.E(i)}</option>"))}</select>
                <button type="submit" id="cart-add">Add to cart</button>
              </form>
              <form class="inline" method="post" action="/cart/clear">{Html.Antiforgery(context)}<button type="submit" class="danger" id="cart-clear">Empty the cart</button></form>
            </div>
            """);
        return Html.Page(context, "Your account", body.ToString());
    }

    private static IResult AddToCart(HttpContext context, [FromForm] string? item)
    {
        if (item is null || !Catalog.Contains(item, StringComparer.Ordinal))
        {
            return Results.BadRequest();
        }

        var cart = ReadCart(context.Session);
        if (cart.Count < 20)
        {
            cart.Add(item);
        }

        context.Session.SetString(CartKey, JsonSerializer.Serialize(cart, SampleJsonContext.Default.ListString));
        return Results.Redirect("/account");
    }

    private static IResult ClearCart(HttpContext context)
    {
        context.Session.Remove(CartKey);
        return Results.Redirect("/account");
    }

    private static async Task<IResult> SessionsAsync(HttpContext context, ISessionManager sessions)
    {
        var list = await sessions.ListSessionsAsync(context);
        var rows = new StringBuilder();
        foreach (var s in list)
        {
            rows.Append($"""
                <tr{(s.IsCurrent ? " id=\"current-session\"" : "")}>
                  <td class="device">{Html.E(s.Device ?? "Unknown device")}{(s.IsCurrent ? " <b>(this browser)</b>" : "")}</td>
                  <td class="signed-in">{Html.Time(s.CreatedAt)}</td>
                  <td class="last-seen">{Html.Time(s.LastSeenAt)}</td>
                  <td>{Html.Time(s.ExpiresAt())}</td>
                  <td><form class="inline" method="post" action="/sessions/revoke">{Html.Antiforgery(context)}<input type="hidden" name="handle" value="{Html.E(s.SessionHandle)}"><button class="danger" type="submit">Revoke</button></form></td>
                </tr>
                """);
        }

        var body = $"""
            <div class="card">
              <p>Every place you are signed in, newest activity first. Revoking one signs that browser out on its next request, whichever server it reaches.</p>
              <table id="sessions"><thead><tr><th>Device</th><th>Signed in</th><th>Last seen</th><th>Ends</th><th></th></tr></thead><tbody>{rows}</tbody></table>
            </div>
            <form class="card" method="post" action="/sessions/revoke-all">
              {Html.Antiforgery(context)}
              <p>Lost a device? Signing out everywhere ends all of your sessions and API refresh tokens at once.</p>
              <button type="submit" class="danger" id="sign-out-everywhere">Sign out everywhere</button>
            </form>
            """;
        return Html.Page(context, "Your sessions", body);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, [FromForm] string? handle, ISessionManager sessions)
    {
        if (string.IsNullOrEmpty(handle))
        {
            return Results.BadRequest();
        }

        var current = sessions.GetCurrentSessionHandle(context);
        await sessions.RevokeSessionAsync(context, handle);
        return Results.Redirect(string.Equals(current, handle, StringComparison.Ordinal) ? "/?signedout" : "/sessions");
    }

    private static async Task<IResult> RevokeAllAsync(HttpContext context, ISessionManager sessions)
    {
        var userId = sessions.GetUserId(context.User);
        if (userId is not null)
        {
            await sessions.RevokeAllSessionsAsync(userId, context.RequestAborted);
        }

        // The record is gone already; this expires this browser's cookie too.
        await sessions.SignOutAsync(context);
        return Results.Redirect("/?signedout=everywhere");
    }

    private static List<string> ReadCart(ISession session)
    {
        var json = session.GetString(CartKey);
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, SampleJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static DateTimeOffset ExpiresAt(this SessionInfo s) => s.IdleExpiresAt < s.AbsoluteExpiresAt ? s.IdleExpiresAt : s.AbsoluteExpiresAt;

    private static bool IsLocalUrl([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
