namespace AuthKit;

/// <summary>The guarantees an <see cref="ISessionStore"/> gives.</summary>
[Flags]
public enum StoreCapabilities
{
    /// <summary>No guarantee beyond the basic contract.</summary>
    None = 0,

    /// <summary><see cref="ISessionStore.UpdateAsync"/> is an atomic compare-and-set on the version.</summary>
    AtomicUpdate = 1,

    /// <summary>The per-user index is exact: <see cref="ISessionStore.RemoveByUserAsync"/> removes every record of the user.</summary>
    ExactUserIndex = 2,

    /// <summary>Several processes (or machines) can share the store.</summary>
    SharedAcrossProcesses = 4,

    /// <summary>Records survive a restart of the application.</summary>
    Durable = 8,
}
