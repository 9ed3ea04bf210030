namespace AuthKit.Internal.Throttling;

/// <summary>A snapshot of <see cref="CredentialThrottleOptions"/> in ticks, taken once per operation.</summary>
internal readonly struct ThrottleLimits
{
    /// <summary>How long an attempt slot is held when its owner never reports back (a crashed instance).</summary>
    public static readonly long LeaseLifetime = TimeSpan.FromMinutes(2).Ticks;

    public ThrottleLimits(CredentialThrottleOptions options)
    {
        Window = options.Window.Ticks;
        MaxFailuresPerUser = options.MaxFailuresPerUser;
        MaxFailuresPerClient = options.MaxFailuresPerClient;
        MaxFailuresPerKnownClient = options.MaxFailuresPerKnownClient;
        MaxConcurrentPerUser = options.MaxConcurrentPerUser;
        MaxConcurrentPerClient = options.MaxConcurrentPerClient;
        KnownClientLifetime = options.KnownClientLifetime.Ticks;
        MaxKnownClientsPerUser = options.MaxKnownClientsPerUser;
    }

    public long Window { get; }

    public int MaxFailuresPerUser { get; }

    public int MaxFailuresPerClient { get; }

    public int MaxFailuresPerKnownClient { get; }

    public int MaxConcurrentPerUser { get; }

    public int MaxConcurrentPerClient { get; }

    public long KnownClientLifetime { get; }

    public int MaxKnownClientsPerUser { get; }
}
