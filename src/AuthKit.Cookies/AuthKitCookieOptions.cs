using Microsoft.AspNetCore.Http;

namespace AuthKit.Cookies;

/// <summary>
/// Options of <c>AddCookiePolicy()</c>, bound from the <c>AuthKit:Cookies</c> configuration section: the defaults applied to
/// every cookie the application writes through <see cref="HttpResponse.Cookies"/>.
/// </summary>
/// <remarks>
/// <para>The policy runs inside the framework's cookie policy middleware (<c>UseAuthKit()</c> adds it), after the app's own
/// <c>CookiePolicyOptions</c>, so AuthKit's rules are applied last and cannot be undone by accident.</para>
/// <para>Plain HTTP is decided once for all of AuthKit: cookies stay <c>Secure</c> unless the request comes from a loopback
/// client in the <c>Development</c> environment, or <see cref="AuthKitOptions.AllowInsecureHttp"/> (<c>AuthKit:AllowInsecureHttp</c>)
/// is set.</para>
/// </remarks>
public sealed class AuthKitCookieOptions
{
    /// <summary>The default of <see cref="MaxSetCookieSize"/>: browsers keep about 4096 bytes per cookie.</summary>
    internal const int DefaultMaxSetCookieSize = 4096;

    /// <summary>Marks every cookie <c>Secure</c>. Default <see langword="true"/>.</summary>
    /// <remarks>Plain HTTP from a loopback client in the <c>Development</c> environment, or with <c>AuthKit:AllowInsecureHttp</c>, leaves the flag as the app set it.</remarks>
    public bool EnforceSecure { get; set; } = true;

    /// <summary>Marks every cookie <c>HttpOnly</c> (unreadable from script), except those named in <see cref="ScriptReadableCookies"/>. Default <see langword="true"/>.</summary>
    public bool EnforceHttpOnly { get; set; } = true;

    /// <summary>Cookie names that script must read (for example an anti-forgery token for a single-page app); they are not forced <c>HttpOnly</c>.</summary>
    public IList<string> ScriptReadableCookies { get; } = new List<string>();

    /// <summary>The <c>SameSite</c> value given to cookies that do not set one. Default <see cref="SameSiteMode.Lax"/>.</summary>
    /// <remarks>A cookie that asks for <c>SameSite=None</c> keeps it and is always made <c>Secure</c>, as browsers require.</remarks>
    public SameSiteMode DefaultSameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>
    /// The largest single <c>Set-Cookie</c> header sent, in bytes, by the cookie policy and by <see cref="AuthKitCookieManager"/>;
    /// a larger cookie is not sent and an error is logged. Default 4096 (256 to 8192).
    /// </summary>
    public int MaxSetCookieSize { get; set; } = DefaultMaxSetCookieSize;
}
