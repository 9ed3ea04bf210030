namespace AuthKit;

/// <summary>
/// Limits of the <see cref="ICredentialThrottle"/>, bound from <c>AuthKit:CredentialThrottle</c> and checked at start-up. They
/// apply to every credential path that uses the throttle (AuthKit.Basic, your form login, your token endpoint) together.
/// </summary>
public sealed class CredentialThrottleOptions
{
    /// <summary>The sliding window over which failures count. Default 5 minutes (1 second to 1 day).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Failures (plus attempts in flight) for one user name within <see cref="Window"/> after which clients that are not known
    /// clients of that user are refused. Default 10; 0 turns the limit off; at most 1000. User names compare case-insensitively.
    /// </summary>
    public int MaxFailuresPerUser { get; set; } = 10;

    /// <summary>
    /// Failures (plus attempts in flight) from one client address (an IPv4 address, or the /64 prefix of an IPv6 address) within
    /// <see cref="Window"/> after which the client is refused for every user name. Default 50; 0 turns the limit off; at most 10,000.
    /// </summary>
    /// <remarks>Behind a proxy, run <c>UseForwardedHeaders()</c> first, or every client shares the proxy's address.</remarks>
    public int MaxFailuresPerClient { get; set; } = 50;

    /// <summary>
    /// Failures (plus attempts in flight) for one user name from one of its known clients within <see cref="Window"/> after which
    /// that client is refused for that user. Default 10; 0 turns the limit off; at most 1000.
    /// </summary>
    public int MaxFailuresPerKnownClient { get; set; } = 10;

    /// <summary>
    /// Password checks for one user name running at once, from clients that are not known clients of the user (and, separately,
    /// from each known client). Default 2; 0 turns the limit off; at most 1000.
    /// </summary>
    public int MaxConcurrentPerUser { get; set; } = 2;

    /// <summary>Password checks from one client address running at once. Default 8; 0 turns the limit off; at most 1000.</summary>
    public int MaxConcurrentPerClient { get; set; } = 8;

    /// <summary>
    /// How long a client address stays a known client of a user after a successful sign-in from it. Default 30 days;
    /// <see cref="TimeSpan.Zero"/> turns known clients off (every client is then held to the user name's budget); at most 400 days.
    /// </summary>
    public TimeSpan KnownClientLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most known clients remembered per user; the least recently used goes first. Default 16 (1 to 256).</summary>
    public int MaxKnownClientsPerUser { get; set; } = 16;

    /// <summary>
    /// In memory: the most user names, and separately the most client addresses, tracked at once. Default 100,000
    /// (100 to 10,000,000). When a table is full of live entries, attempts for names it does not hold are refused
    /// (<see cref="CredentialThrottleLimit.Capacity"/>) rather than let through untracked, and a warning is logged.
    /// </summary>
    public int MaxTrackedEntries { get; set; } = 100_000;

    /// <summary>Where the counts are kept. Default <see cref="CredentialThrottleStorage.Automatic"/>: in the session store when it is shared.</summary>
    public CredentialThrottleStorage Storage { get; set; }
}
