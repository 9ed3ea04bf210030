namespace AuthKit;

/// <summary>Which limit of the <see cref="ICredentialThrottle"/> refused an attempt.</summary>
public enum CredentialThrottleLimit
{
    /// <summary>None: the attempt may go ahead.</summary>
    None = 0,

    /// <summary>Too many recent failures (and attempts in flight) for the user name from clients the user has not signed in from.</summary>
    UserFailures = 1,

    /// <summary>Too many recent failures (and attempts in flight) from the client address, whatever the user names.</summary>
    ClientFailures = 2,

    /// <summary>Too many recent failures (and attempts in flight) for the user name from this known client.</summary>
    KnownClientFailures = 3,

    /// <summary>Too many password checks for the user name running at once.</summary>
    UserConcurrency = 4,

    /// <summary>Too many password checks from the client address running at once.</summary>
    ClientConcurrency = 5,

    /// <summary>
    /// The throttle could not reserve the attempt: its memory table is full of live entries, or a shared store kept changing under
    /// it. Refused rather than let an untracked guess through.
    /// </summary>
    Capacity = 6,
}
