namespace AuthKit.Sessions.Distributed;

/// <summary>Options of <see cref="DistributedCacheSessionStore"/>, bound from <c>AuthKit:DistributedStore</c>.</summary>
/// <remarks>Checked at start-up (and by the store's constructor): a bad value stops the host with a message naming the setting.</remarks>
public sealed class DistributedCacheSessionStoreOptions
{
    /// <summary>
    /// The prefix of every cache key the store writes (<c>{KeyPrefix}s:{key}</c> for records, <c>{KeyPrefix}u:{digest}</c> for
    /// the per-user index, <c>{KeyPrefix}r:{key}</c> for revocation markers). Defaults to <c>authkit:{ApplicationName}:</c>
    /// (<see cref="AuthKitOptions.ApplicationName"/>), so apps sharing one cache keep apart. No control characters.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// How long one cache call may take before it fails with <see cref="SessionStoreException"/> (5 seconds by default;
    /// between 1 millisecond and 5 minutes), so a cache that hangs never hangs a request.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
