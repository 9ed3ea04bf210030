using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Redis.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(5001, LogLevel.Warning, "Redis session store operation {Operation} failed; the session scheme answers 503 until Redis is back. Further failures in the next {IntervalSeconds} s are logged at Debug.", EventName = "RedisStoreFailed")]
    public static partial void RedisStoreFailed(this ILogger logger, string operation, int intervalSeconds, Exception exception);

    [LoggerMessage(5002, LogLevel.Debug, "Redis session store operation {Operation} failed.", EventName = "RedisStoreFailedAgain")]
    public static partial void RedisStoreFailedAgain(this ILogger logger, string operation, Exception exception);

    [LoggerMessage(5003, LogLevel.Information, "Redis session store is working again.", EventName = "RedisStoreRecovered")]
    public static partial void RedisStoreRecovered(this ILogger logger);

    [LoggerMessage(5004, LogLevel.Warning, "Redis connection to {EndPoint} failed ({FailureType}); reconnecting in the background.", EventName = "RedisConnectionFailed")]
    public static partial void RedisConnectionFailed(this ILogger logger, string endPoint, string failureType, Exception? exception);

    [LoggerMessage(5005, LogLevel.Information, "Redis connection to {EndPoint} restored.", EventName = "RedisConnectionRestored")]
    public static partial void RedisConnectionRestored(this ILogger logger, string endPoint);

    [LoggerMessage(5006, LogLevel.Warning, "Redis session store could not connect yet; it keeps trying in the background and store operations fail until it does.", EventName = "RedisNotConnectedYet")]
    public static partial void RedisNotConnectedYet(this ILogger logger);

    [LoggerMessage(5007, LogLevel.Debug, "Redis session store pruned {Removed} stale entries from {Visited} per-user indexes.", EventName = "RedisIndexPruned")]
    public static partial void RedisIndexPruned(this ILogger logger, int removed, int visited);

    [LoggerMessage(5008, LogLevel.Warning, "Redis session store index pruning failed; the next pass retries.", EventName = "RedisIndexPruneFailed")]
    public static partial void RedisIndexPruneFailed(this ILogger logger, Exception exception);

    [LoggerMessage(5009, LogLevel.Warning, "Redis session store read an unreadable record and treated it as absent.", EventName = "RedisRecordUnreadable")]
    public static partial void RedisRecordUnreadable(this ILogger logger);

    [LoggerMessage(5010, LogLevel.Warning, "Redis session store operation {Operation} was acknowledged by {Acknowledged} of the {Wanted} replicas asked for (AuthKit:RedisStore:ReplicasToAcknowledgeRemovals); a failover now could bring removed sessions back. Further cases in the next 30 s are not logged.", EventName = "RedisRemovalNotReplicated")]
    public static partial void RedisRemovalNotReplicated(this ILogger logger, string operation, long acknowledged, int wanted);
}
