namespace AuthKit.Sessions.File;

/// <summary>Options of <see cref="FileSessionStore"/>, bound from <c>AuthKit:FileStore</c>.</summary>
/// <remarks>Checked at start-up (and by the store's constructor): a bad value stops the host with a message naming the setting.</remarks>
public sealed class FileSessionStoreOptions
{
    /// <summary>
    /// The directory that holds the records. Every instance that must see the same sessions points at the same directory.
    /// Defaults to <c>{LocalApplicationData}/AuthKit/{ApplicationName}/sessions</c>. A relative path is resolved against the
    /// current directory.
    /// </summary>
    /// <remarks>
    /// The directory is created readable only by the app's user (mode 0700 on Unix). Use a local file system, or a network
    /// file system that honours <c>flock</c> (NFSv4, SMB); the store's compare-and-set relies on it.
    /// </remarks>
    public string? Directory { get; set; }

    /// <summary>How often expired records, stale temporary files and orphaned index entries are removed (1 minute by default; at least 1 second).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a write waits for the lock of a record held by another thread or process before failing with
    /// <see cref="SessionStoreException"/> (5 seconds by default; between 1 millisecond and 5 minutes).
    /// </summary>
    /// <remarks>Locks are released by the operating system when a process dies, so a crashed writer never blocks the others.</remarks>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether each write is flushed to the disk (<c>fsync</c>) before it is renamed into place (<see langword="false"/> by default).
    /// </summary>
    /// <remarks>
    /// Without it a record is still never torn when a process dies: the rename is atomic and the data is in the operating
    /// system's cache. Turn it on if sessions must survive a power cut or a kernel crash; each write then costs a disk flush.
    /// </remarks>
    public bool FlushToDisk { get; set; }
}
