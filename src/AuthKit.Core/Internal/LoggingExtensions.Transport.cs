using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(1201, LogLevel.Warning, "Plain HTTP from a loopback client in the Development environment: AuthKit sends cookies without Secure and the session cookie without its __Host- prefix, and accepts Basic credentials. Outside Development this never happens unless AuthKit:AllowInsecureHttp is set. Logged once.", EventName = "PlainHttpAllowedForDevelopment")]
    public static partial void PlainHttpAllowedForDevelopment(this ILogger logger);

    [LoggerMessage(1202, LogLevel.Warning, "AuthKit:AllowInsecureHttp is on: over plain HTTP AuthKit sends cookies without Secure and the session cookie without its __Host- prefix, and accepts Basic credentials; anyone on the network can read them and take over sessions and accounts. Logged once.", EventName = "PlainHttpAllowedByInsecureSetting")]
    public static partial void PlainHttpAllowedByInsecureSetting(this ILogger logger);

    [LoggerMessage(1203, LogLevel.Error, "A request came over plain HTTP (Development environment: {IsDevelopment}). AuthKit keeps cookies Secure and the session cookie __Host-prefixed, so browsers will not keep them and users cannot sign in. Serve HTTPS (behind a proxy that terminates TLS, add the forwarded-headers middleware so the request is seen as HTTPS). Plain HTTP is relaxed only for a loopback client in the Development environment, or everywhere with the insecure setting AuthKit:AllowInsecureHttp = true. Logged once.", EventName = "PlainHttpRefused")]
    public static partial void PlainHttpRefused(this ILogger logger, bool isDevelopment);
}
