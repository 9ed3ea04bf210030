using StackExchange.Redis;

namespace AuthKit.Sessions.Redis;

/// <summary>Options of <see cref="RedisSessionStore"/>, bound from <c>AuthKit:RedisStore</c>.</summary>
/// <remarks>Checked at start-up (and by the store's constructor): a bad value stops the host with a message naming the setting.</remarks>
public sealed class RedisSessionStoreOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>, <c>redis.internal:6380,ssl=true,password=…</c>,
    /// the nodes of a Redis Cluster (<c>node1:7000,node2:7000,node3:7000</c>) or a Sentinel service
    /// (<c>sentinel1:26379,serviceName=mymaster</c>). When <see langword="null"/>, the store uses the
    /// <see cref="IConnectionMultiplexer"/> registered in the application's services.
    /// </summary>
    /// <remarks>The string may hold a password: it is never logged.</remarks>
    public string? Configuration { get; set; }

    /// <summary>
    /// Prepended to every key the store writes. Defaults to <c>authkit:{ApplicationName}:</c>
    /// (<see cref="AuthKitOptions.ApplicationName"/>), so several applications can share one Redis without seeing each
    /// other's sessions or refresh tokens. At most 256 characters, without <c>{</c> or <c>}</c> (the store places its own
    /// Redis Cluster hash tags). Two applications must not use prefixes where one starts with the other.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// The longest a store operation may take (2 seconds by default; 10 ms to 5 minutes). Past it, or at once when the
    /// connection is down, the operation fails with <see cref="SessionStoreException"/>.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one connection attempt may take when the store opens its own connection (5 seconds by default; 100 ms to 5 minutes).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a background pass removes per-user index entries whose record has expired (10 minutes by default; at
    /// least 1 second; <see cref="TimeSpan.Zero"/> turns the pass off, leaving pruning to reads and to the index's own
    /// time-to-live).
    /// </summary>
    public TimeSpan IndexPruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most per-user indexes one background pass visits (500 by default; 1 to 100,000); the next pass resumes where it stopped.</summary>
    public int IndexPruneBatchSize { get; set; } = 500;

    /// <summary>
    /// After a removal (sign-out, "sign out everywhere", refresh-token revocation), wait until this many replicas of the
    /// primary have it (Redis <c>WAIT</c>, at most <see cref="OperationTimeout"/>), so that a failover right after the
    /// removal cannot bring the session back. 0 (the default) does not wait. Costs one more round trip per removal; when
    /// fewer replicas answer in time, the removal still stands on the primary and a warning is logged.
    /// </summary>
    public int ReplicasToAcknowledgeRemovals { get; set; }

    /// <summary>
    /// Whether the Redis server persists its data (RDB snapshots or AOF) so sessions survive its restart. AuthKit cannot
    /// tell; set it to report <see cref="StoreCapabilities.Durable"/>. <see langword="false"/> by default.
    /// </summary>
    public bool Durable { get; set; }

    /// <summary>Adjusts the connection settings parsed from <see cref="Configuration"/> before the store connects (TLS, credentials, …).</summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }
}
