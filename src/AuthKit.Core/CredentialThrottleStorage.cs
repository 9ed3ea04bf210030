namespace AuthKit;

/// <summary>Where the <see cref="ICredentialThrottle"/> keeps its counts.</summary>
public enum CredentialThrottleStorage
{
    /// <summary>
    /// In the application's <see cref="ISessionStore"/> when it is shared across processes
    /// (<see cref="StoreCapabilities.SharedAcrossProcesses"/>: file, Redis, distributed cache), so every instance counts together;
    /// in process memory otherwise. The default.
    /// </summary>
    Automatic = 0,

    /// <summary>In process memory: each instance counts on its own.</summary>
    Memory = 1,

    /// <summary>In the application's <see cref="ISessionStore"/>, as records of kind <see cref="SessionRecordKind.CredentialThrottle"/>.</summary>
    SessionStore = 2,
}
