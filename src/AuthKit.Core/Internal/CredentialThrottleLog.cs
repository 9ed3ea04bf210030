using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

// Event ids 1201-1299: the credential throttle. User names as the client sent them; never a password.
internal static partial class CredentialThrottleLog
{
    [LoggerMessage(1201, LogLevel.Information, "Credential throttle: counts are kept {Where}.", EventName = "CredentialThrottleStorage")]
    public static partial void ThrottleStorage(this ILogger logger, string where);

    [LoggerMessage(1202, LogLevel.Debug, "Credential throttle: attempt for user {UserName} from {Client} refused ({Limit}); retry after {RetryAfterSeconds} s.", EventName = "CredentialThrottleRefused")]
    public static partial void ThrottleRefused(this ILogger logger, string userName, string client, CredentialThrottleLimit limit, long retryAfterSeconds);

    [LoggerMessage(1203, LogLevel.Warning, "Credential throttle: the table of {Table} is full ({Capacity} live entries); attempts for names it does not hold are refused. Raise AuthKit:CredentialThrottle:MaxTrackedEntries if this is not an attack.", EventName = "CredentialThrottleTableFull")]
    public static partial void ThrottleTableFull(this ILogger logger, string table, int capacity);

    [LoggerMessage(1204, LogLevel.Warning, "Credential throttle: could not {Operation} after {Attempts} compare-and-set attempts on the session store (too many concurrent writers); the attempt was refused or its count may be lost.", EventName = "CredentialThrottleContention")]
    public static partial void ThrottleStoreContention(this ILogger logger, string operation, int attempts);

    [LoggerMessage(1205, LogLevel.Error, "Credential throttle: an attempt slot could not be released; it lapses on its own within minutes.", EventName = "CredentialThrottleReleaseFailed")]
    public static partial void ThrottleReleaseFailed(this ILogger logger, Exception exception);
}
