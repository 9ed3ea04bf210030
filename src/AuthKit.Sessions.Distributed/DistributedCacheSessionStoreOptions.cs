namespace AuthKit.Sessions.Distributed;

/// <summary>Options of <see cref="DistributedCacheSessionStore"/>, bound from <c>AuthKit:DistributedStore</c>.</summary>
public sealed class DistributedCacheSessionStoreOptions
{
    private string? _keyPrefix;
    private TimeSpan _operationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The prefix of every cache key the store writes (<c>{KeyPrefix}s:{key}</c> for records, <c>{KeyPrefix}u:{digest}</c> for
    /// the per-user index). Defaults to <c>authkit:{ApplicationName}:</c>, so apps sharing one cache keep apart.
    /// </summary>
    public string? KeyPrefix
    {
        get => _keyPrefix;
        set
        {
            if (value is not null && value.Any(char.IsControl))
            {
                throw new ArgumentException("The key prefix must not contain control characters.", nameof(value));
            }

            _keyPrefix = value;
        }
    }

    /// <summary>
    /// How long one cache call may take before it fails with <see cref="SessionStoreException"/> (5 seconds by default;
    /// between 1 millisecond and 5 minutes), so a cache that hangs never hangs a request.
    /// </summary>
    public TimeSpan OperationTimeout
    {
        get => _operationTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(5));
            _operationTimeout = value;
        }
    }
}
