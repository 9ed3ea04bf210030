using Microsoft.Extensions.Logging;

namespace AuthKit.Basic;

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

    [LoggerMessage(6005, LogLevel.Warning, "Basic: attempt for user {UserName} from {Client} throttled for {RetryAfterSeconds} s after repeated failures.", EventName = "BasicThrottled")]
    public static partial void Throttled(this ILogger logger, string userName, string client, long retryAfterSeconds);

    [LoggerMessage(6006, LogLevel.Warning, "Basic: credentials sent over plain HTTP from {Client} were refused. Use HTTPS (or, behind a TLS proxy, UseForwardedHeaders()).", EventName = "BasicInsecureTransport")]
    public static partial void InsecureTransport(this ILogger logger, string client);

    [LoggerMessage(6007, LogLevel.Error, "Basic: the credential validator threw for user {UserName}.", EventName = "BasicValidatorFailed")]
    public static partial void ValidatorFailed(this ILogger logger, string userName, Exception exception);

    [LoggerMessage(6008, LogLevel.Warning, "Basic: the throttle table is full (ThrottleTableSize); a failure could not be tracked. Raise AuthKit:Basic:ThrottleTableSize if this is not an attack.", EventName = "BasicThrottleTableFull")]
    public static partial void ThrottleTableFull(this ILogger logger);

    [LoggerMessage(6009, LogLevel.Information, "Basic: {Count} cached credentials invalidated.", EventName = "BasicCacheInvalidated")]
    public static partial void CacheInvalidated(this ILogger logger, int count);

    [LoggerMessage(6010, LogLevel.Debug, "Basic: a credential was verified but not cached because the cache was invalidated meanwhile.", EventName = "BasicCacheRaced")]
    public static partial void CacheRaced(this ILogger logger);
}
