using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>
/// Options of the session scheme (<c>AddSessions()</c>), bound from the <c>AuthKit:Sessions</c> configuration section and
/// validated at start-up.
/// </summary>
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
    /// Plain-HTTP development on a loopback host: the cookie drops its prefix (<c>authkit</c>) and <c>Secure</c>, and a warning
    /// is logged once. Default <see langword="true"/>.
    /// </summary>
    public bool AllowInsecureLoopback { get; set; } = true;

    /// <summary>
    /// Plain HTTP on a non-loopback host: the cookie drops its prefix and <c>Secure</c>. Default <see langword="false"/>: the
    /// cookie stays <c>__Host-</c> and <c>Secure</c>, so a browser on plain HTTP does not keep it.
    /// </summary>
    /// <remarks>Anyone on the network can read a cookie sent over plain HTTP and take over the session. Prefer the forwarded-headers middleware behind a TLS proxy.</remarks>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>The claim whose value is the user ID (the per-user index, "sign out everywhere"). Default <see cref="ClaimTypes.NameIdentifier"/>, then the identity's name.</summary>
    public string UserIdClaimType { get; set; } = ClaimTypes.NameIdentifier;

    /// <summary>Where a browser is sent when a challenge happens; empty (the default) answers 401.</summary>
    public PathString LoginPath { get; set; }

    /// <summary>Where a browser is sent when access is forbidden; empty (the default) answers 403.</summary>
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
