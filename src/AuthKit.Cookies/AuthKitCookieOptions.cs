using Microsoft.AspNetCore.Http;

namespace AuthKit.Cookies;

/// <summary>
/// Options of <c>AddCookiePolicy()</c>, bound from the <c>AuthKit:Cookies</c> configuration section: the defaults applied to
/// every cookie the application writes through <see cref="HttpResponse.Cookies"/>.
/// </summary>
/// <remarks>
/// The policy runs inside the framework's cookie policy middleware (<c>UseAuthKit()</c> adds it), after the app's own
/// <c>CookiePolicyOptions</c>, so AuthKit's rules are applied last and cannot be undone by accident.
/// </remarks>
public sealed class AuthKitCookieOptions
{
    /// <summary>The largest <c>Set-Cookie</c> header value sent, in bytes (browsers keep about 4096 per cookie).</summary>
    public const int DefaultMaxSetCookieSize = 4096;

    /// <summary>Marks every cookie <c>Secure</c>. Default <see langword="true"/>.</summary>
    /// <remarks>On plain HTTP to a loopback host the flag is left as the app set it while <see cref="AllowInsecureLoopback"/> is on.</remarks>
    public bool EnforceSecure { get; set; } = true;

    /// <summary>Marks every cookie <c>HttpOnly</c> (unreadable from script), except those named in <see cref="ScriptReadableCookies"/>. Default <see langword="true"/>.</summary>
    public bool EnforceHttpOnly { get; set; } = true;

    /// <summary>Cookie names that script must read (for example an anti-forgery token for a single-page app); they are not forced <c>HttpOnly</c>.</summary>
    public IList<string> ScriptReadableCookies { get; } = new List<string>();

    /// <summary>The <c>SameSite</c> value given to cookies that do not set one. Default <see cref="SameSiteMode.Lax"/>.</summary>
    /// <remarks>A cookie that asks for <c>SameSite=None</c> keeps it and is always made <c>Secure</c>, as browsers require.</remarks>
    public SameSiteMode DefaultSameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>
    /// Plain-HTTP development on a loopback host (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>): cookies are not forced
    /// <c>Secure</c>, and the session cookie falls back to an unprefixed name. A warning is logged once. Default <see langword="true"/>.
    /// </summary>
    public bool AllowInsecureLoopback { get; set; } = true;

    /// <summary>
    /// Plain HTTP on any host: cookies are not forced <c>Secure</c>. Default <see langword="false"/>: on plain HTTP to a
    /// non-loopback host cookies stay <c>Secure</c>, so browsers drop them, and a warning is logged once.
    /// </summary>
    /// <remarks>Behind a proxy that terminates TLS, use the framework's forwarded-headers middleware instead, so the request is seen as HTTPS.</remarks>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>The largest single <c>Set-Cookie</c> header sent, in bytes; a larger cookie is not sent and an error is logged. Default 4096.</summary>
    public int MaxSetCookieSize { get; set; } = DefaultMaxSetCookieSize;
}
