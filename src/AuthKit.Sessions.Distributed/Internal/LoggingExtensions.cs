using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Distributed.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(4501, LogLevel.Warning, "Distributed session store removed an unreadable record (corrupt, or from an unknown format version); it is treated as absent.", EventName = "DistributedStoreCorruptRecord")]
    public static partial void DistributedStoreCorruptRecord(this ILogger logger);

    [LoggerMessage(4502, LogLevel.Warning, "Distributed session store could not update a per-user index; \"sign out everywhere\" may miss a session until it expires.", EventName = "DistributedStoreIndexFailed")]
    public static partial void DistributedStoreIndexFailed(this ILogger logger, Exception exception);
}
