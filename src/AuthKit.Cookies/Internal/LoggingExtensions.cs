using Microsoft.Extensions.Logging;

namespace AuthKit.Cookies.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(2001, LogLevel.Error, "The cookie '{CookieName}' was not sent: its Set-Cookie header would be {Size} bytes (limit {Limit} per header, {MaxChunks} chunks). Keep cookies small: store data server-side and put only an identifier in the cookie.", EventName = "CookieTooLarge")]
    public static partial void CookieTooLarge(this ILogger logger, string cookieName, int size, int limit, int maxChunks);

    [LoggerMessage(2005, LogLevel.Warning, "The cookie '{CookieName}' broke the rule '{Rule}' and was corrected before it was sent. Fix the code that writes it. Logged once per cookie.", EventName = "CookieCorrected")]
    public static partial void CookieCorrected(this ILogger logger, string cookieName, string rule);
}
