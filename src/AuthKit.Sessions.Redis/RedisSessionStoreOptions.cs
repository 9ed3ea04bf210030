using StackExchange.Redis;

namespace AuthKit.Sessions.Redis;

/// <summary>Options of <see cref="RedisSessionStore"/>, bound from <c>AuthKit:RedisStore</c>.</summary>
public sealed class RedisSessionStoreOptions
{
    private string _keyPrefix = "authkit:";
    private TimeSpan _operationTimeout = TimeSpan.FromSeconds(2);
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _indexPruneInterval = TimeSpan.FromMinutes(10);
    private int _indexPruneBatchSize = 500;

    /// <summary>
    /// A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6380,ssl=true,password=…</c>. When <see langword="null"/>, the store uses the
    /// <see cref="IConnectionMultiplexer"/> registered in the application's services.
    /// </summary>
    /// <remarks>The string may hold a password: it is never logged.</remarks>
    public string? Configuration { get; set; }

    /// <summary>
    /// Prepended to every key the store writes (<c>authkit:</c> by default), so several applications can share one Redis.
    /// Two applications must not use prefixes where one starts with the other.
    /// </summary>
    public string KeyPrefix
    {
        get => _keyPrefix;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, 256, nameof(KeyPrefix));
            _keyPrefix = value;
        }
    }

    /// <summary>
    /// The longest a store operation may take (2 seconds by default; 10 ms to 5 minutes). Past it, or at once when the
    /// connection is down, the operation fails with <see cref="SessionStoreException"/>.
    /// </summary>
    public TimeSpan OperationTimeout
    {
        get => _operationTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(10));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(5));
            _operationTimeout = value;
        }
    }

    /// <summary>How long one connection attempt may take when the store opens its own connection (5 seconds by default).</summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(100));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(5));
            _connectTimeout = value;
        }
    }

    /// <summary>
    /// How often a background pass removes per-user index entries whose record has expired (10 minutes by default;
    /// <see cref="TimeSpan.Zero"/> turns the pass off, leaving pruning to reads and to the index's own time-to-live).
    /// </summary>
    public TimeSpan IndexPruneInterval
    {
        get => _indexPruneInterval;
        set
        {
            if (value != TimeSpan.Zero)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            }

            _indexPruneInterval = value;
        }
    }

    /// <summary>The most per-user indexes one background pass visits (500 by default); the next pass resumes where it stopped.</summary>
    public int IndexPruneBatchSize
    {
        get => _indexPruneBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100_000);
            _indexPruneBatchSize = value;
        }
    }

    /// <summary>
    /// Whether the Redis server persists its data (RDB snapshots or AOF) so sessions survive its restart. AuthKit cannot
    /// tell; set it to report <see cref="StoreCapabilities.Durable"/>. <see langword="false"/> by default.
    /// </summary>
    public bool Durable { get; set; }

    /// <summary>Adjusts the connection settings parsed from <see cref="Configuration"/> before the store connects (TLS, credentials, …).</summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }
}
