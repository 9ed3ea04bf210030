using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.File.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(4001, LogLevel.Information, "File session store uses the directory {Directory}.", EventName = "FileStoreOpened")]
    public static partial void FileStoreOpened(this ILogger logger, string directory);

    [LoggerMessage(4002, LogLevel.Warning, "The session directory {Directory} can be read by other users. Session records hold user names and claims: restrict it to the app's user (chmod 700).", EventName = "FileStoreDirectoryOpen")]
    public static partial void FileStoreDirectoryOpen(this ILogger logger, string directory);

    [LoggerMessage(4003, LogLevel.Warning, "File session store removed an unreadable record file {Path} (torn, corrupt or from an unknown format version); it is treated as absent.", EventName = "FileStoreCorruptRecord")]
    public static partial void FileStoreCorruptRecord(this ILogger logger, string path);

    [LoggerMessage(4004, LogLevel.Debug, "File session store swept {Records} expired or unreadable records, {Temp} stale temporary files and {Markers} orphaned index entries.", EventName = "FileStoreSwept")]
    public static partial void FileStoreSwept(this ILogger logger, int records, int temp, int markers);

    [LoggerMessage(4005, LogLevel.Error, "File session store sweep failed; it is retried at the next interval.", EventName = "FileStoreSweepFailed")]
    public static partial void FileStoreSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4006, LogLevel.Debug, "File session store could not set the expiry time of {Path}; the sweep will read the file instead.", EventName = "FileStoreExpiryTimeNotSet")]
    public static partial void FileStoreExpiryTimeNotSet(this ILogger logger, string path, Exception exception);
}
