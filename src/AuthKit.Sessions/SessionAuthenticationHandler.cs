using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    // RFC 9457 problem details: what a client without a login page needs to know, and nothing about the server.
    private static readonly byte[] s_signInRequired = Encoding.UTF8.GetBytes(
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Sign-in required","status":401,"detail":"This resource needs a signed-in session. Sign in through the application's sign-in page or endpoint, which sets the session cookie, then send the request again with that cookie."}""");

    private static readonly Task<AuthenticateResult> s_noCookie = Task.FromResult(AuthenticateResult.NoResult());

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
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        // Most requests of an app (assets, API calls) carry no session cookie: nothing to load, nothing to allocate (the answer is shared).
        SessionRuntime.FindSession(Context) is null && !Runtime.MayCarrySessionCookie(Context, Options) ? s_noCookie : AuthenticateSessionAsync();

    private async Task<AuthenticateResult> AuthenticateSessionAsync()
    {
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
        // Properties that allocate their dictionaries only when written (nearly never, on the session path).
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties(new LazyDictionary<string?>(), new LazyDictionary<object?>()), Scheme.Name);
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
    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
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
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        UserAgentParser.Describe(Request.Headers.UserAgent, metadata);
        var signingIn = new SessionSigningInContext(Context, Scheme, Options, user, properties, cookieOptions, metadata);
        await Events.SigningIn(signingIn).ConfigureAwait(false);
        var principal = signingIn.Principal ?? throw new InvalidOperationException("OnSigningIn removed the principal; nothing to sign in.");
        var userId = Runtime.GetUserId(principal, Options)
            ?? throw new InvalidOperationException($"The principal has no user ID: add a '{Options.UserIdClaimType}' claim (AuthKit:Sessions:UserIdClaimType) or give the identity a name.");
        var record = await session.RenewAsync(principal, userId, Scheme.Name, absolute, signingIn.CookieOptions, signingIn.Metadata).ConfigureAwait(false);
        try
        {
            await Runtime.EnforceQuotaAsync(userId, record.Key, Options).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            // The new session stands (its cookie is written); the quota is enforced again at the next sign-in.
            Runtime.Logger.SessionQuotaFailed(ex);
        }

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
    /// <remarks>
    /// With <see cref="SessionAuthenticationOptions.LoginPath"/>: <see cref="SessionAuthenticationEvents.OnRedirectToLogin"/>.
    /// Without: 401 with <c>WWW-Authenticate: Cookie realm="AuthKit", cookie-name="..."</c> and a problem-details body saying that
    /// the resource needs a signed-in session. A store that failed answers 503 instead.
    /// </remarks>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (SessionRuntime.FindSession(Context)?.IsStoreFailed == true)
        {
            Runtime.WriteUnavailable(Context);
            return;
        }

        if (Options.LoginPath.HasValue)
        {
            await Events.RedirectToLogin(RedirectContext(Options.LoginPath, properties)).ConfigureAwait(false);
            return;
        }

        Runtime.NoteNoLoginPath();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Cookie realm=\"AuthKit\", cookie-name=\"{Runtime.ResolveCookie(Context, Options).Name}\"";
        if (!Response.HasStarted && !HttpMethods.IsHead(Request.Method))
        {
            Response.ContentType = "application/problem+json";
            await Response.Body.WriteAsync(s_signInRequired, Context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!Options.AccessDeniedPath.HasValue)
        {
            await base.HandleForbiddenAsync(properties).ConfigureAwait(false);
            return;
        }

        await Events.RedirectToAccessDenied(RedirectContext(Options.AccessDeniedPath, properties)).ConfigureAwait(false);
    }

    private RedirectContext<SessionAuthenticationOptions> RedirectContext(PathString target, AuthenticationProperties properties)
    {
        var returnUrl = properties?.RedirectUri ?? OriginalPathBase + OriginalPath + Request.QueryString;
        var location = BuildRedirectUri(target) + QueryString.Create(Options.ReturnUrlParameter, returnUrl);
        return new RedirectContext<SessionAuthenticationOptions>(Context, Scheme, Options, properties ?? new AuthenticationProperties(), location);
    }
}
