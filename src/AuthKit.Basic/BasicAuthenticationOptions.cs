using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Basic;

/// <summary>
/// Options of the HTTP Basic scheme, bound from <c>AuthKit:Basic</c> (another scheme name <c>X</c> binds from <c>AuthKit:Basic:X</c>)
/// and validated at start-up.
/// </summary>
public sealed class BasicAuthenticationOptions : AuthenticationSchemeOptions
{
    private string _realm = "AuthKit";
    private int _maxHeaderLength = 4096;
    private TimeSpan _credentialCacheLifetime = TimeSpan.FromMinutes(5);
    private int _credentialCacheSize = 10_000;
    private TimeSpan _throttleWindow = TimeSpan.FromMinutes(5);
    private int _maxFailuresPerUser = 10;
    private int _maxFailuresPerClient = 50;
    private int _throttleTableSize = 10_000;

    /// <summary>Creates options with the defaults.</summary>
    public BasicAuthenticationOptions()
    {
        Events = new BasicAuthenticationEvents();
    }

    /// <summary>
    /// The realm sent in <c>WWW-Authenticate: Basic realm="…", charset="UTF-8"</c>. Default <c>AuthKit</c>. Printable ASCII without
    /// <c>"</c> or <c>\</c>, at most 128 characters.
    /// </summary>
    public string Realm
    {
        get => _realm;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!IsValidRealm(value))
            {
                throw new ArgumentException("AuthKit:Basic:Realm must be 1 to 128 printable ASCII characters without '\"' or '\\'.", nameof(value));
            }

            _realm = value;
        }
    }

    /// <summary>
    /// Whether credentials that are not valid UTF-8 are read as ISO-8859-1 (what old clients send). Default <see langword="false"/>:
    /// they are refused with 400. The challenge always advertises <c>charset="UTF-8"</c>.
    /// </summary>
    public bool AllowLatin1Fallback { get; set; }

    /// <summary>The longest <c>Authorization</c> header value read, in characters; longer ones are refused with 400. Default 4096 (16 to 65536).</summary>
    public int MaxHeaderLength
    {
        get => _maxHeaderLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16, "AuthKit:Basic:MaxHeaderLength");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65536, "AuthKit:Basic:MaxHeaderLength");
            _maxHeaderLength = value;
        }
    }

    /// <summary>
    /// How long a verified credential is remembered, so the validator (and its slow password hash) runs once per lifetime rather than
    /// on every request. Default 5 minutes; <see cref="TimeSpan.Zero"/> turns the cache off; at most 1 hour.
    /// </summary>
    /// <remarks>A password changed without calling <see cref="IBasicCredentialCache.InvalidateUser"/> keeps working until this lifetime ends.</remarks>
    public TimeSpan CredentialCacheLifetime
    {
        get => _credentialCacheLifetime;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, "AuthKit:Basic:CredentialCacheLifetime");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromHours(1), "AuthKit:Basic:CredentialCacheLifetime");
            _credentialCacheLifetime = value;
        }
    }

    /// <summary>The most credentials cached at once; when full, the entry closest to expiry is dropped. Default 10,000 (1 to 1,000,000).</summary>
    public int CredentialCacheSize
    {
        get => _credentialCacheSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, "AuthKit:Basic:CredentialCacheSize");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1_000_000, "AuthKit:Basic:CredentialCacheSize");
            _credentialCacheSize = value;
        }
    }

    /// <summary>The sliding window over which failures are counted. Default 5 minutes (1 second to 1 day).</summary>
    public TimeSpan ThrottleWindow
    {
        get => _throttleWindow;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1), "AuthKit:Basic:ThrottleWindow");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromDays(1), "AuthKit:Basic:ThrottleWindow");
            _throttleWindow = value;
        }
    }

    /// <summary>
    /// Failed attempts for one user name (case-insensitive) within <see cref="ThrottleWindow"/> after which further attempts are answered
    /// 429 without running the validator. Default 10; 0 turns per-user throttling off; at most 1000.
    /// </summary>
    public int MaxFailuresPerUser
    {
        get => _maxFailuresPerUser;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, "AuthKit:Basic:MaxFailuresPerUser");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1000, "AuthKit:Basic:MaxFailuresPerUser");
            _maxFailuresPerUser = value;
        }
    }

    /// <summary>
    /// Failed attempts from one client address (IPv4 address, or IPv6 /64 prefix) within <see cref="ThrottleWindow"/> after which further
    /// attempts are answered 429 without running the validator. Default 50; 0 turns per-client throttling off; at most 1000.
    /// </summary>
    /// <remarks>Behind a proxy, run <c>UseForwardedHeaders()</c> first, or every client shares the proxy's address.</remarks>
    public int MaxFailuresPerClient
    {
        get => _maxFailuresPerClient;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, "AuthKit:Basic:MaxFailuresPerClient");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1000, "AuthKit:Basic:MaxFailuresPerClient");
            _maxFailuresPerClient = value;
        }
    }

    /// <summary>
    /// The most user names, and separately the most client addresses, tracked by the throttle at once. Default 10,000 (1 to 1,000,000).
    /// When full and nothing has expired, new names are not tracked (and a warning is logged) rather than growing memory without bound.
    /// </summary>
    public int ThrottleTableSize
    {
        get => _throttleTableSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, "AuthKit:Basic:ThrottleTableSize");
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1_000_000, "AuthKit:Basic:ThrottleTableSize");
            _throttleTableSize = value;
        }
    }

    /// <summary>
    /// Whether Basic credentials are accepted over plain HTTP from non-loopback clients. Default <see langword="false"/>: such requests are
    /// refused with 403 before the header is read.
    /// </summary>
    /// <remarks>Basic sends the password in clear text on every request. Turn this on only when TLS ends at a trusted proxy on a private network, and prefer <c>UseForwardedHeaders()</c> so the request's scheme is right instead.</remarks>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>The events; use <see cref="AuthenticationSchemeOptions.EventsType"/> to take them from DI instead.</summary>
    public new BasicAuthenticationEvents Events
    {
        get => (BasicAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The validator type, set by <c>AddBasic&lt;TValidator&gt;()</c>.</summary>
    internal Type? ValidatorType { get; set; }

    /// <summary>The scheme's cache, throttle and keys, set by <see cref="BasicPostConfigureOptions"/>.</summary>
    /// <remarks>A field: the configuration binder source generator binds internal properties too, and this is never configuration.</remarks>
    internal BasicSchemeRuntime? Runtime;

    internal static bool IsValidRealm(string value)
    {
        if (value.Length is 0 or > 128)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
