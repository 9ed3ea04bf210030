using System.Text.Encodings.Web;
using AuthKit.Sessions;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Sessions;

/// <summary>
/// The session scheme: the cookie carries only a session ID; the principal and data live in <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// The record is read once per request and shared with <c>HttpContext.Session</c>. Unknown, forged, expired or revoked IDs make
/// the request anonymous and clear the cookie; a store that fails or exceeds <see cref="SessionAuthenticationOptions.StoreTimeout"/>
/// answers 503, never an anonymous request.
/// </remarks>
public sealed class SessionAuthenticationHandler : SignInAuthenticationHandler<SessionAuthenticationOptions>
{
    private SessionRuntime? _runtime;

    /// <summary>Creates the handler (by the authentication system, once per request).</summary>
    public SessionAuthenticationHandler(IOptionsMonitor<SessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    /// <summary>The scheme's events.</summary>
    private new SessionAuthenticationEvents Events => (SessionAuthenticationEvents)base.Events!;

    private SessionRuntime Runtime => _runtime ??= Context.RequestServices.GetRequiredService<SessionRuntime>();

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new SessionAuthenticationEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SessionRuntime.FindSession(Context) is null && !Runtime.HasSessionCookie(Context, Options))
        {
            // Most requests of an app (assets, API calls) carry no session cookie: nothing to load, nothing to allocate.
            return AuthenticateResult.NoResult();
        }

        var session = Runtime.GetSession(Context);
        await session.EnsureLoadedAsync().ConfigureAwait(false);
        if (session.IsStoreFailed)
        {
            Runtime.Metrics.AuthenticationAttempt(Scheme.Name, "error");
            return AuthenticateResult.Fail(new SessionStoreException("The session store is unavailable."));
        }

        var record = session.Record;
        var principal = session.GetPrincipal();
        if (record is null || principal is null)
        {
            return AuthenticateResult.NoResult();
        }

        // The session's times are on the record (ISessionManager, OnValidatePrincipal); formatting them into properties on every request is not worth it.
        var ticket = new AuthenticationTicket(principal, Scheme.Name);
        if (!SessionAuthenticationEvents.IsDefault(Events))
        {
            var context = new SessionValidatePrincipalContext(Context, Scheme, Options, ticket, record);
            await Events.ValidatePrincipal(context).ConfigureAwait(false);
            if (context.Principal is null)
            {
                Runtime.Logger.SessionPrincipalRejected(record.Key.ToString());
                await session.EndAsync().ConfigureAwait(false);
                Runtime.Metrics.AuthenticationAttempt(Scheme.Name, "failure");
                return AuthenticateResult.Fail("The session's principal was rejected.");
            }

            if (context.PrincipalReplaced)
            {
                session.ReplacePrincipal(context.Principal);
            }

            ticket = new AuthenticationTicket(context.Principal, context.Properties, Scheme.Name);
        }

        Runtime.Metrics.AuthenticationAttempt(Scheme.Name, "success");
        return AuthenticateResult.Success(ticket);
    }

    /// <inheritdoc />
    protected override async Task HandleSignInAsync(System.Security.Claims.ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        ArgumentNullException.ThrowIfNull(user);
        var session = Runtime.GetSession(Context);
        var now = TimeProvider.GetUtcNow();
        var absolute = now + Options.AbsoluteTimeout;
        if (properties?.ExpiresUtc is { } requested && requested < absolute)
        {
            absolute = requested;
        }

        var cookieOptions = session.BuildCookieOptions(properties?.IsPersistent == true ? absolute : null);
        var signingIn = new SessionSigningInContext(Context, Scheme, Options, user, properties, cookieOptions);
        await Events.SigningIn(signingIn).ConfigureAwait(false);
        var principal = signingIn.Principal ?? throw new InvalidOperationException("OnSigningIn removed the principal; nothing to sign in.");
        var userId = Runtime.GetUserId(principal, Options)
            ?? throw new InvalidOperationException($"The principal has no user ID: add a '{Options.UserIdClaimType}' claim (AuthKit:Sessions:UserIdClaimType) or give the identity a name.");
        var record = await session.RenewAsync(principal, userId, Scheme.Name, absolute, signingIn.CookieOptions).ConfigureAwait(false);
        await Events.SignedIn(new SessionSignedInContext(Context, Scheme, Options, principal, signingIn.Properties, record)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        var session = Runtime.GetSession(Context);
        await session.EnsureLoadedAsync().ConfigureAwait(false);
        await Events.SigningOut(new SessionSigningOutContext(Context, Scheme, Options, properties, session.Record)).ConfigureAwait(false);
        await session.EndAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (SessionRuntime.FindSession(Context)?.IsStoreFailed == true)
        {
            Runtime.WriteUnavailable(Context);
            return Task.CompletedTask;
        }

        if (!Options.LoginPath.HasValue || IsScriptRequest())
        {
            return base.HandleChallengeAsync(properties);
        }

        Redirect(Options.LoginPath, properties?.RedirectUri);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!Options.AccessDeniedPath.HasValue || IsScriptRequest())
        {
            return base.HandleForbiddenAsync(properties);
        }

        Redirect(Options.AccessDeniedPath, properties?.RedirectUri);
        return Task.CompletedTask;
    }

    private void Redirect(PathString target, string? returnUrl)
    {
        returnUrl ??= OriginalPathBase + OriginalPath + Request.QueryString;
        var location = BuildRedirectUri(target) + QueryString.Create(Options.ReturnUrlParameter, returnUrl);
        Response.StatusCode = StatusCodes.Status302Found;
        Response.Headers.Location = location;
    }

    private bool IsScriptRequest() =>
        string.Equals(Request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal)
        || string.Equals(Request.Query["X-Requested-With"], "XMLHttpRequest", StringComparison.Ordinal)
        || Request.Headers[HeaderNames.Accept].ToString().StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
