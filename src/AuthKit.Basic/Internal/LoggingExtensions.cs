using Microsoft.Extensions.Logging;

namespace AuthKit.Basic.Internal;

// Event ids 6000-6099. Never a password; user names only as the client sent them, after control characters were refused.
internal static partial class LoggingExtensions
{
    [LoggerMessage(6001, LogLevel.Debug, "Basic: user {UserName} authenticated by the validator.", EventName = "BasicValidated")]
    public static partial void Validated(this ILogger logger, string userName);

    [LoggerMessage(6002, LogLevel.Trace, "Basic: verified-credential cache hit.", EventName = "BasicCacheHit")]
    public static partial void CacheHit(this ILogger logger);

    [LoggerMessage(6003, LogLevel.Information, "Basic: invalid credentials for user {UserName}.", EventName = "BasicInvalidCredentials")]
    public static partial void InvalidCredentials(this ILogger logger, string userName);

    [LoggerMessage(6004, LogLevel.Information, "Basic: malformed Authorization header ({Reason}).", EventName = "BasicMalformed")]
    public static partial void Malformed(this ILogger logger, string reason);

    [LoggerMessage(6005, LogLevel.Warning, "Basic: attempt for user {UserName} throttled ({Limit}) for {RetryAfterSeconds} s.", EventName = "BasicThrottled")]
    public static partial void Throttled(this ILogger logger, string userName, CredentialThrottleLimit limit, long retryAfterSeconds);

    [LoggerMessage(6006, LogLevel.Warning, "Basic: credentials sent over plain HTTP were refused. Use HTTPS (behind a TLS proxy, UseForwardedHeaders()); only the Development environment allows loopback HTTP, and AuthKit:AllowInsecureHttp allows it everywhere.", EventName = "BasicInsecureTransport")]
    public static partial void InsecureTransport(this ILogger logger);

    [LoggerMessage(6007, LogLevel.Error, "Basic: the credential validator threw for user {UserName}.", EventName = "BasicValidatorFailed")]
    public static partial void ValidatorFailed(this ILogger logger, string userName, Exception exception);

    [LoggerMessage(6008, LogLevel.Error, "Basic: the credential throttle's store failed; the attempt is answered 503 rather than let through uncounted.", EventName = "BasicThrottleUnavailable")]
    public static partial void ThrottleUnavailable(this ILogger logger, Exception exception);

    [LoggerMessage(6009, LogLevel.Information, "Basic: {Count} cached credentials invalidated.", EventName = "BasicCacheInvalidated")]
    public static partial void CacheInvalidated(this ILogger logger, int count);

    [LoggerMessage(6010, LogLevel.Debug, "Basic: a credential was verified but not cached because the cache was invalidated meanwhile.", EventName = "BasicCacheRaced")]
    public static partial void CacheRaced(this ILogger logger);
}
