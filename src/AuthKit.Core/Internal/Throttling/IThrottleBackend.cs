namespace AuthKit.Internal.Throttling;

/// <summary>Where the throttle keeps its state: process memory, or records in a shared <see cref="ISessionStore"/>.</summary>
internal interface IThrottleBackend
{
    /// <summary>Reserves a slot for the user and the client together, or neither.</summary>
    ValueTask<CredentialThrottleStatus> TryReserveAsync(string userName, ThrottleClient client, long leaseId, long now, ThrottleLimits limits, CancellationToken cancellationToken);

    /// <summary>Whether the user or the client is throttled now, ignoring attempts in flight.</summary>
    ValueTask<CredentialThrottleStatus> CheckAsync(string userName, ThrottleClient client, long now, ThrottleLimits limits, CancellationToken cancellationToken);

    /// <summary>Releases the slot and counts the outcome.</summary>
    ValueTask CompleteAsync(string userName, ThrottleClient client, long leaseId, ThrottleOutcome outcome, long now, ThrottleLimits limits, CancellationToken cancellationToken);
}
