namespace AuthKit.Internal.Throttling;

/// <summary>
/// The throttle's decisions, as pure functions of the state: the memory table and the shared-store records run the same code,
/// under a lock or inside a compare-and-set loop.
/// </summary>
internal static class ThrottleRules
{
    private static readonly long OneSecond = TimeSpan.TicksPerSecond;

    /// <summary>May the client start an attempt? Slots in flight count as failures would.</summary>
    public static CredentialThrottleStatus DecideClient(ThrottleCounter client, long now, in ThrottleLimits limits, bool reserving)
    {
        client.Prune(now, limits.Window);
        var pending = reserving ? client.Leases.Count : 0;
        if (client.RetryAfter(limits.MaxFailuresPerClient, pending, now, limits.Window) is > 0 and var wait)
        {
            return Throttled(CredentialThrottleLimit.ClientFailures, wait);
        }

        if (reserving && limits.MaxConcurrentPerClient > 0 && client.Leases.Count >= limits.MaxConcurrentPerClient)
        {
            return Throttled(CredentialThrottleLimit.ClientConcurrency, OneSecond);
        }

        return CredentialThrottleStatus.NotThrottled;
    }

    /// <summary>
    /// May the client start an attempt for the user? A known client is held to its pair's budget, any other client to the user
    /// name's, so strangers cannot use up the budget of the clients the user already signs in from.
    /// </summary>
    public static CredentialThrottleStatus DecideUser(ThrottleUserState user, ThrottleClient client, long now, in ThrottleLimits limits, bool reserving)
    {
        user.Prune(now, limits);
        if (user.FindKnown(client, now, limits) is { } known)
        {
            var pending = reserving ? known.Counter.Leases.Count : 0;
            if (known.Counter.RetryAfter(limits.MaxFailuresPerKnownClient, pending, now, limits.Window) is > 0 and var wait)
            {
                return Throttled(CredentialThrottleLimit.KnownClientFailures, wait);
            }

            if (reserving && limits.MaxConcurrentPerUser > 0 && known.Counter.Leases.Count >= limits.MaxConcurrentPerUser)
            {
                return Throttled(CredentialThrottleLimit.UserConcurrency, OneSecond);
            }

            return CredentialThrottleStatus.NotThrottled;
        }

        var strangers = reserving ? user.Name.Leases.Count : 0;
        if (user.Name.RetryAfter(limits.MaxFailuresPerUser, strangers, now, limits.Window) is > 0 and var userWait)
        {
            return Throttled(CredentialThrottleLimit.UserFailures, userWait);
        }

        if (reserving && limits.MaxConcurrentPerUser > 0 && user.Name.Leases.Count >= limits.MaxConcurrentPerUser)
        {
            return Throttled(CredentialThrottleLimit.UserConcurrency, OneSecond);
        }

        return CredentialThrottleStatus.NotThrottled;
    }

    public static void ReserveClient(ThrottleCounter client, long leaseId, long now) =>
        client.Leases.Add(new ThrottleLeaseEntry(leaseId, now + ThrottleLimits.LeaseLifetime));

    public static void ReserveUser(ThrottleUserState user, ThrottleClient client, long leaseId, long now, in ThrottleLimits limits)
    {
        var lease = new ThrottleLeaseEntry(leaseId, now + ThrottleLimits.LeaseLifetime);
        (user.FindKnown(client, now, limits)?.Counter ?? user.Name).Leases.Add(lease);
    }

    public static void CompleteClient(ThrottleCounter client, long leaseId, ThrottleOutcome outcome, long now, in ThrottleLimits limits)
    {
        client.Prune(now, limits.Window);
        client.RemoveLease(leaseId);
        if (outcome == ThrottleOutcome.Failure)
        {
            client.AddFailure(now, limits.MaxFailuresPerClient);
        }
    }

    public static void CompleteUser(ThrottleUserState user, ThrottleClient client, long leaseId, ThrottleOutcome outcome, long now, in ThrottleLimits limits)
    {
        user.Prune(now, limits);
        user.RemoveLease(leaseId);
        switch (outcome)
        {
            case ThrottleOutcome.Failure:
                // Every failure counts for the name (strangers then wait longer); a known client's also counts for its pair.
                user.Name.AddFailure(now, limits.MaxFailuresPerUser);
                user.FindKnown(client, now, limits)?.Counter.AddFailure(now, limits.MaxFailuresPerKnownClient);
                break;
            case ThrottleOutcome.Success:
                user.MarkKnown(client, now, limits);
                break;
        }
    }

    private static CredentialThrottleStatus Throttled(CredentialThrottleLimit limit, long ticks) => new(limit, TimeSpan.FromTicks(ticks));
}

/// <summary>How an attempt ended.</summary>
internal enum ThrottleOutcome
{
    /// <summary>Nothing was checked (the slot is released, nothing counted).</summary>
    Abandoned = 0,
    Success = 1,
    Failure = 2,
}
