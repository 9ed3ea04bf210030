using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Basic;

/// <summary>
/// Options of the HTTP Basic scheme, bound from <c>AuthKit:Basic</c> (another scheme name <c>X</c> binds from <c>AuthKit:Basic:X</c>)
/// and checked at start-up. Throttling is shared with every other credential path: see <see cref="CredentialThrottleOptions"/>.
/// </summary>
/// <remarks>
/// Plain HTTP is not a setting of this class: it is decided once for all of AuthKit by <see cref="AuthKitOptions.AllowInsecureHttp"/>
/// (<c>AuthKit:AllowInsecureHttp</c>). Without it, Basic credentials over plain HTTP are refused with 403 except from a loopback
/// client in the <c>Development</c> environment.
/// </remarks>
public sealed class BasicAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with the defaults.</summary>
    public BasicAuthenticationOptions()
    {
        Events = new BasicAuthenticationEvents();
    }

    /// <summary>
    /// The realm sent in <c>WWW-Authenticate: Basic realm="…", charset="UTF-8"</c>. Default <c>AuthKit</c>. Printable ASCII without
    /// <c>"</c> or <c>\</c>, at most 128 characters.
    /// </summary>
    public string Realm { get; set; } = "AuthKit";

    /// <summary>
    /// Whether credentials that are not valid UTF-8 are read as ISO-8859-1 (what old clients send). Default <see langword="false"/>:
    /// they are refused with 400. The challenge always advertises <c>charset="UTF-8"</c>.
    /// </summary>
    public bool AllowLatin1Fallback { get; set; }

    /// <summary>The longest <c>Authorization</c> header value read, in characters; longer ones are refused with 400. Default 4096 (16 to 65536).</summary>
    public int MaxHeaderLength { get; set; } = 4096;

    /// <summary>
    /// How long a verified credential is remembered, so the validator (and its slow password hash) runs once per lifetime rather than
    /// on every request. Default 5 minutes; <see cref="TimeSpan.Zero"/> turns the cache off; at most 1 hour.
    /// </summary>
    /// <remarks>A password changed without calling <see cref="IBasicCredentialCache.InvalidateUser"/> keeps working until this lifetime ends.</remarks>
    public TimeSpan CredentialCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most credentials the default cache holds at once; when full, the entry closest to expiry is dropped. Default 10,000 (1 to 1,000,000).</summary>
    public int CredentialCacheSize { get; set; } = 10_000;

    /// <summary>The events; use <see cref="AuthenticationSchemeOptions.EventsType"/> to take them from DI instead.</summary>
    public new BasicAuthenticationEvents Events
    {
        get => (BasicAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The validator type, set by <c>AddBasic&lt;TValidator&gt;()</c>; <see cref="IBasicCredentialValidator"/> from DI when not set.</summary>
    internal Type? ValidatorType { get; set; }

    /// <summary>The scheme's shared state, created by the handler on first use.</summary>
    internal Internal.BasicSchemeRuntime? Runtime;

    internal static bool IsValidRealm(string? value)
    {
        if (value is null || value.Length is 0 or > 128)
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
