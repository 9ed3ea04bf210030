using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Sessions;

/// <summary>The events of the session scheme. Set the delegates, or derive and override the methods (with <c>EventsType</c> to take it from DI).</summary>
public class SessionAuthenticationEvents
{
    private static readonly Func<SessionValidatePrincipalContext, Task> s_noValidation = _ => Task.CompletedTask;

    /// <summary>Called on each authenticated request, after the session is read; may replace or reject the principal.</summary>
    public Func<SessionValidatePrincipalContext, Task> OnValidatePrincipal { get; set; } = s_noValidation;

    /// <summary>Called before a sign-in creates the new session; may change the principal, the properties, the cookie options or the session's metadata.</summary>
    public Func<SessionSigningInContext, Task> OnSigningIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called after a sign-in stored the new session and wrote its cookie.</summary>
    public Func<SessionSignedInContext, Task> OnSignedIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called before a sign-out removes the session and expires the cookie.</summary>
    public Func<SessionSigningOutContext, Task> OnSigningOut { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Called when a challenge sends the client to <see cref="SessionAuthenticationOptions.LoginPath"/>. The default redirects
    /// (302 to <see cref="RedirectContext{TOptions}.RedirectUri"/>), except for script requests (<c>X-Requested-With:
    /// XMLHttpRequest</c>, or an <c>Accept</c> that starts with <c>application/json</c>), which get 401 with the URI in
    /// <c>Location</c>. Replace it to decide otherwise (for example by path: <c>/api</c> answers 401).
    /// </summary>
    public Func<RedirectContext<SessionAuthenticationOptions>, Task> OnRedirectToLogin { get; set; } = context => RedirectOrAnswer(context, StatusCodes.Status401Unauthorized);

    /// <summary>
    /// Called when a forbidden request is sent to <see cref="SessionAuthenticationOptions.AccessDeniedPath"/>. The default redirects,
    /// except for script requests, which get 403 with the URI in <c>Location</c>.
    /// </summary>
    public Func<RedirectContext<SessionAuthenticationOptions>, Task> OnRedirectToAccessDenied { get; set; } = context => RedirectOrAnswer(context, StatusCodes.Status403Forbidden);

    /// <summary>Invokes <see cref="OnValidatePrincipal"/>.</summary>
    public virtual Task ValidatePrincipal(SessionValidatePrincipalContext context) => OnValidatePrincipal(context);

    /// <summary>Invokes <see cref="OnSigningIn"/>.</summary>
    public virtual Task SigningIn(SessionSigningInContext context) => OnSigningIn(context);

    /// <summary>Invokes <see cref="OnSignedIn"/>.</summary>
    public virtual Task SignedIn(SessionSignedInContext context) => OnSignedIn(context);

    /// <summary>Invokes <see cref="OnSigningOut"/>.</summary>
    public virtual Task SigningOut(SessionSigningOutContext context) => OnSigningOut(context);

    /// <summary>Invokes <see cref="OnRedirectToLogin"/>.</summary>
    public virtual Task RedirectToLogin(RedirectContext<SessionAuthenticationOptions> context) => OnRedirectToLogin(context);

    /// <summary>Invokes <see cref="OnRedirectToAccessDenied"/>.</summary>
    public virtual Task RedirectToAccessDenied(RedirectContext<SessionAuthenticationOptions> context) => OnRedirectToAccessDenied(context);

    // Lets the handler skip building a context on every request when nobody listens.
    internal static bool IsDefault(SessionAuthenticationEvents events) =>
        events.GetType() == typeof(SessionAuthenticationEvents) && ReferenceEquals(events.OnValidatePrincipal, s_noValidation);

    private static Task RedirectOrAnswer(RedirectContext<SessionAuthenticationOptions> context, int scriptStatus)
    {
        if (IsScriptRequest(context.Request))
        {
            context.Response.Headers.Location = context.RedirectUri;
            context.Response.StatusCode = scriptStatus;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static bool IsScriptRequest(HttpRequest request) =>
        string.Equals(request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal)
        || string.Equals(request.Query["X-Requested-With"], "XMLHttpRequest", StringComparison.Ordinal)
        || request.Headers[HeaderNames.Accept].ToString().StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
