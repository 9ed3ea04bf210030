namespace AuthKit.Sessions.File.Internal;

/// <summary>Turns file-system failures into <see cref="SessionStoreException"/>s that say what to fix.</summary>
internal static class FileStoreErrors
{
    public static SessionStoreException Failure(string action, string path, Exception ex)
    {
        var hint = ex switch
        {
            UnauthorizedAccessException => "The app's user lacks permission: give it read and write access to the session directory.",
            IOException io when IsDiskFull(io) => "The disk is full: free space or move AuthKit:FileStore:Directory to a larger volume.",
            _ => "Check that the disk has free space and that the app's user can read and write the session directory (AuthKit:FileStore:Directory).",
        };
        return new SessionStoreException($"The file session store could not {action} '{path}': {ex.Message} {hint}", ex);
    }

    private static bool IsDiskFull(IOException ex)
        => ex.HResult is 28 // ENOSPC
               or 122 // EDQUOT on Linux
               or unchecked((int)0x80070070) // ERROR_DISK_FULL
               or unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL
}
