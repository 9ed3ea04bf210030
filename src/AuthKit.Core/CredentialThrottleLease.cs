namespace AuthKit;

/// <summary>
/// One attempt reserved by <see cref="ICredentialThrottle.TryAcquireAsync"/>: record how the password check ended, then dispose it.
/// </summary>
/// <remarks>
/// <para>
/// While the lease is held the attempt counts against the limits (as a failure would), so concurrent attempts cannot overshoot
/// them. Recording releases the slot and counts the outcome. Disposing a lease that recorded nothing releases the slot without
/// counting anything: do that only when the check could not run (your user store failed), never for a wrong password.
/// </para>
/// <para>
/// Record the outcome with <see cref="CancellationToken.None"/> (not the request's token): a client that hangs up right after
/// sending a guess must still have it counted.
/// </para>
/// </remarks>
public abstract class CredentialThrottleLease : IAsyncDisposable
{
    /// <summary>Creates a lease (for implementations of <see cref="ICredentialThrottle"/>).</summary>
    protected CredentialThrottleLease()
    {
    }

    /// <summary>Whether the attempt may go ahead (<see cref="Status"/> is not throttled).</summary>
    public bool IsAcquired => !Status.IsThrottled;

    /// <summary>Why the attempt was refused and how long to wait; not throttled when <see cref="IsAcquired"/>.</summary>
    public abstract CredentialThrottleStatus Status { get; }

    /// <summary>
    /// Records that the password was right: the slot is released, the client becomes (or stays) a known client of the user, and
    /// the failures of that (user, client) pair are forgotten. Does nothing on a lease that was not acquired or already recorded.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write to a shared store (prefer <see cref="CancellationToken.None"/>).</param>
    public abstract ValueTask RecordSuccessAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the password was wrong (or the user unknown): the slot is released and one failure counts for the user name,
    /// the client and, for a known client, the (user, client) pair. Does nothing on a lease that was not acquired or already recorded.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write to a shared store (prefer <see cref="CancellationToken.None"/>).</param>
    public abstract ValueTask RecordFailureAsync(CancellationToken cancellationToken = default);

    /// <summary>Releases the slot if nothing was recorded (without counting a failure).</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the slot if nothing was recorded; never throws.</summary>
    protected abstract ValueTask DisposeAsyncCore();
}
