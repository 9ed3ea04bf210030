using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>
/// Options of the session scheme (<c>AddSessions()</c>), bound from the <c>AuthKit:Sessions</c> configuration section, then
/// configured in code (values set in code win), and validated at start-up: every problem is reported at once, naming the setting.
/// </summary>
/// <remarks>
/// Plain HTTP is decided once for all of AuthKit: the cookie keeps its <c>__Host-</c> name and <c>Secure</c> unless the request comes
/// from a loopback client in the <c>Development</c> environment, or <see cref="AuthKitOptions.AllowInsecureHttp"/>
/// (<c>AuthKit:AllowInsecureHttp</c>) is set.
/// </remarks>
public sealed class SessionAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with AuthKit's defaults.</summary>
    public SessionAuthenticationOptions()
    {
        Events = new SessionAuthenticationEvents();
    }

    /// <summary>
    /// The session cookie. Defaults: name <c>__Host-authkit</c>, <c>Secure</c> always, <c>HttpOnly</c>, <c>SameSite=Lax</c>,
    /// <c>Path=/</c>, no <c>Domain</c>, no expiry (a browser-session cookie).
    /// </summary>
    /// <remarks>
    /// A name with a <c>__Host-</c> or <c>__Secure-</c> prefix must keep the prefix's rules, or the host stops at start with
    /// a message naming the rule. <c>Expiration</c> and <c>MaxAge</c> are not used: the session's lifetime is on the server
    /// (<see cref="IdleTimeout"/>, <see cref="AbsoluteTimeout"/>); a sign-in with <c>IsPersistent</c> sets the cookie's expiry.
    /// </remarks>
    public CookieBuilder Cookie { get; set; } = new()
    {
        Name = SessionAuthenticationDefaults.CookieName,
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        SecurePolicy = CookieSecurePolicy.Always,
        Path = "/",
        IsEssential = true,
    };

    /// <summary>A session unused for this long ends (sliding). Default 20 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>A session ends this long after sign-in (or creation), however active. Default 8 hours.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The sliding idle expiry is written to the store at most once per this interval, not on every request. Default 1 minute;
    /// must be shorter than <see cref="IdleTimeout"/>. A session therefore ends between <c>IdleTimeout - SlidingRefreshInterval</c>
    /// and <see cref="IdleTimeout"/> after its last request.
    /// </summary>
    public TimeSpan SlidingRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a store call may take; a slower or failing store answers the request with 503 Service Unavailable
    /// (never an anonymous request). Default 2 seconds.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Store failures are logged at most once per this interval (each failure still answers 503). Default 1 minute.</summary>
    public TimeSpan StoreErrorLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Signs the cookie value with the key ring (HMAC-SHA256, key ID inside), so forged IDs are dropped before any store lookup.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool SignCookie { get; set; } = true;

    /// <summary>
    /// Carries the data bag of an anonymous session into the session a sign-in creates (a shop's cart kept at sign-in). Default
    /// <see langword="false"/>: a sign-in starts with an empty bag unless the same user signs in again.
    /// </summary>
    /// <remarks>
    /// A bag never crosses from one signed-in user to another: when a sign-in changes the user (Bob signs in on a browser where
    /// Alice was signed in), the new session always starts empty, so a cart, or a flag such as "MFA passed", never crosses users.
    /// Turn this on only if the anonymous bag holds nothing that a sign-in should not inherit.
    /// </remarks>
    public bool KeepAnonymousDataOnSignIn { get; set; }

    /// <summary>
    /// The most live sessions one user may have. A sign-in that goes over ends the user's sessions seen least recently (oldest
    /// <see cref="SessionRecord.LastSeenAt"/>), never the new one, so no client can fill the store with one user's sessions.
    /// Default 32.
    /// </summary>
    /// <remarks>Checked at each sign-in with one listing of the user's sessions. Concurrent sign-ins may each see the other's session, so a user can briefly hold a few more.</remarks>
    public int MaxSessionsPerUser { get; set; } = 32;

    /// <summary>The claim whose value is the user ID (the per-user index, "sign out everywhere"). Default <see cref="ClaimTypes.NameIdentifier"/>, then the identity's name.</summary>
    public string UserIdClaimType { get; set; } = ClaimTypes.NameIdentifier;

    /// <summary>
    /// Where a browser is sent when a challenge happens (<see cref="SessionAuthenticationEvents.OnRedirectToLogin"/>). Empty (the
    /// default) answers 401 with <c>WWW-Authenticate: Cookie</c> and a problem-details body saying that the resource needs a
    /// signed-in session.
    /// </summary>
    public PathString LoginPath { get; set; }

    /// <summary>Where a browser is sent when access is forbidden (<see cref="SessionAuthenticationEvents.OnRedirectToAccessDenied"/>); empty (the default) answers 403.</summary>
    public PathString AccessDeniedPath { get; set; }

    /// <summary>The query parameter carrying the original URL to <see cref="LoginPath"/>. Default <c>ReturnUrl</c>.</summary>
    public string ReturnUrlParameter { get; set; } = "ReturnUrl";

    /// <summary>The largest data bag a session may hold, in bytes (keys and values); a larger write is refused. Default 64 KiB.</summary>
    public int MaxDataSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Serialises, within this process, the requests of one session: a request carrying a valid session cookie waits
    /// (asynchronously, at most <see cref="StoreTimeout"/>, then 503) until the session's earlier requests have committed, and
    /// only then reads the record. Concurrent read-modify-write of the same <c>HttpContext.Session</c> value (a counter, a cart)
    /// then loses nothing. Default <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// <para>The lock is taken before the request's one store read and released once the changes made before the response
    /// started are written (or when the request ends, also on exceptions and client aborts). Requests without a session cookie,
    /// or with a forged one, never wait. One user's parallel requests (several tabs, a page's parallel API calls) run one at a
    /// time; an endpoint that takes long before it starts its response delays the session's other requests, and those waiting
    /// longer than <see cref="StoreTimeout"/> get 503. Values written after the response started are written after the lock is
    /// released, with compare-and-set only.</para>
    /// <para>The lock is per process. With several instances, requests of one session on different instances still run
    /// concurrently: compare-and-set with re-application of each request's own changes keeps writes to <em>different</em> keys,
    /// but concurrent increments of the same key on different instances can still be lost. Use sticky sessions, or keep such
    /// counters in a store with atomic increments.</para>
    /// <para>Turned off, requests of one session run in parallel; on a version conflict a request re-reads the record and
    /// re-applies only its own sets and removes (writes to different keys all survive; the same key is last-writer-wins).</para>
    /// </remarks>
    public bool SerializeRequests { get; set; } = true;

    /// <summary>The events of the scheme.</summary>
    public new SessionAuthenticationEvents Events
    {
        get => (SessionAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }
}
