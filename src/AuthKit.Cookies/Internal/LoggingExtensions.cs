using Microsoft.Extensions.Logging;

namespace AuthKit.Cookies.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(2001, LogLevel.Error, "The cookie '{CookieName}' was not sent: its Set-Cookie header would be {Size} bytes (limit {Limit} per header, {MaxChunks} chunks). Keep cookies small: store data server-side and put only an identifier in the cookie.", EventName = "CookieTooLarge")]
    public static partial void CookieTooLarge(this ILogger logger, string cookieName, int size, int limit, int maxChunks);

    [LoggerMessage(2002, LogLevel.Warning, "Plain HTTP on the loopback host {Host}: cookies are not forced Secure, and the session cookie uses an unprefixed name. This is for local development only (AuthKit:Cookies:AllowInsecureLoopback). Logged once.", EventName = "InsecureLoopback")]
    public static partial void InsecureLoopback(this ILogger logger, string host);

    [LoggerMessage(2003, LogLevel.Warning, "Plain HTTP on the host {Host}: cookies stay Secure, so browsers will not keep them. Serve HTTPS (behind a TLS proxy, use the forwarded-headers middleware), or set AuthKit:Cookies:AllowInsecureHttp explicitly. Logged once.", EventName = "SecureCookieOverHttp")]
    public static partial void SecureCookieOverHttp(this ILogger logger, string host);

    [LoggerMessage(2004, LogLevel.Warning, "AuthKit:Cookies:AllowInsecureHttp is on and a cookie was sent without Secure over plain HTTP to {Host}. Anyone on the network can read it. Logged once.", EventName = "InsecureHttpAllowed")]
    public static partial void InsecureHttpAllowed(this ILogger logger, string host);

    [LoggerMessage(2005, LogLevel.Warning, "The cookie '{CookieName}' broke the rule '{Rule}' and was corrected before it was sent. Fix the code that writes it. Logged once per cookie.", EventName = "CookieCorrected")]
    public static partial void CookieCorrected(this ILogger logger, string cookieName, string rule);
}
