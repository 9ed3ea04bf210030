using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(1001, LogLevel.Information, "AuthKit keys are read from the key file {Path}. Instances that must share cookies need the same keys: configure AuthKit:Keys or share this file.", EventName = "UsingKeyFile")]
    public static partial void UsingKeyFile(this ILogger logger, string path);

    [LoggerMessage(1101, LogLevel.Debug, "Memory session store swept {Count} expired records.", EventName = "MemoryStoreSwept")]
    public static partial void MemoryStoreSwept(this ILogger logger, int count);

    [LoggerMessage(1102, LogLevel.Warning, "Memory session store is full ({Capacity} records); a new record was refused. Raise MemorySessionStoreOptions.MaxRecords or use a shared store.", EventName = "MemoryStoreFull")]
    public static partial void MemoryStoreFull(this ILogger logger, int capacity);

    [LoggerMessage(1103, LogLevel.Error, "Memory session store sweep failed.", EventName = "MemoryStoreSweepFailed")]
    public static partial void MemoryStoreSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1104, LogLevel.Error, "Session store unavailable: {Reason}. An endpoint's call into AuthKit (throttle, session manager, token service) failed on it and the request is answered with 503 Service Unavailable. {Suppressed} more in the previous 10 s were not logged.", EventName = "StoreFailureAnswered503")]
    public static partial void StoreFailureAnswered503(this ILogger logger, string reason, long suppressed, Exception exception);

    [LoggerMessage(1105, LogLevel.Information, "Session store {Store} answered at start-up in {ElapsedMs:0.0} ms.", EventName = "StoreAnsweredAtStart")]
    public static partial void StoreAnsweredAtStart(this ILogger logger, string store, double elapsedMs);

    [LoggerMessage(1106, LogLevel.Warning, "Session store {Store} does not answer at start-up: {Reason}. Sessions, sign-ins and refreshes are answered 503 until it does. Check {Setting} and that the store is running.", EventName = "StoreDidNotAnswerAtStart")]
    public static partial void StoreDidNotAnswerAtStart(this ILogger logger, string store, string reason, string setting, Exception? exception);
}
