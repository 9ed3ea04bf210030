using System.Globalization;
using System.Runtime.CompilerServices;
using AuthKit.Internal;
using AuthKit.Sessions.Redis.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis;

/// <summary>
/// An <see cref="ISessionStore"/> on Redis (or a Redis-compatible server with Lua scripting, such as Garnet), shared by
/// every application instance that points at the same server and key prefix: one server, a Sentinel-managed primary, or
/// a Redis Cluster.
/// </summary>
/// <remarks>
/// <para>A read is one <c>HGET</c>; create, update and remove are one Lua script each, which checks the version and
/// writes the record, its time-to-live and the user's index together. The per-user index is a set per user, so
/// <see cref="RemoveByUserAsync"/> and <see cref="ListByUserAsync"/> are exact; entries of expired records are dropped on
/// read and by a bounded background pass, and the set itself expires with the user's longest-lived record.</para>
/// <para>Every script declares every key it touches, and the keys of one script share a Redis Cluster hash slot: a record
/// is filed under its key's <see cref="SessionKey.SlotTag"/>, and the records of a user carry the user's tag
/// (<see cref="SessionStoreKeys.SlotTag"/>) when their IDs were issued for that user, as AuthKit's session scheme and token
/// service do. On a cluster a record of a user whose key does not carry that tag is refused with
/// <see cref="SessionStoreException"/>; on one server any key works.</para>
/// <para>Store failures (connection lost, timeout, a failover in progress) surface as <see cref="SessionStoreException"/>
/// within <see cref="RedisSessionStoreOptions.OperationTimeout"/>; the store recovers by itself when Redis is back.</para>
/// <para>Keys hold only the SHA-256 digest of a session ID; a dump of Redis cannot be replayed as cookies.</para>
/// </remarks>
public sealed class RedisSessionStore : ISessionStore, IAsyncDisposable, IDisposable, ISessionStoreSetting
{
    private const string StoreName = "redis";
    private const int FailureLogIntervalSeconds = 30;
    private const int MaxScansPerPass = 50;
    private const int MaxKeysPerScript = 512;
    private const long MaxTtlMilliseconds = 100L * 365 * 24 * 3600 * 1000;
    private static readonly RedisValue DataField = "d";

    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthKitMetrics? _metrics;
    private readonly RedisConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly RedisKeyLayout _layout;
    private readonly ITimer? _pruneTimer;
    private readonly System.Collections.Concurrent.ConcurrentQueue<RedisKey> _pruneQueue = new();
    private readonly Dictionary<string, long> _pruneCursors = new(StringComparer.Ordinal);
    private long _lastFailureLog;
    private long _lastReplicaWarning;
    private int _failing;
    private int _pruning;
    private int _pruneServer;
    private int _cluster = -1;

    /// <summary>Creates a store that opens its own connection from <see cref="RedisSessionStoreOptions.Configuration"/> and does not log.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="RedisSessionStoreOptions"/>).</exception>
    /// <exception cref="InvalidOperationException"><see cref="RedisSessionStoreOptions.Configuration"/> is not set.</exception>
    public RedisSessionStore(IOptions<RedisSessionStoreOptions> options, TimeProvider timeProvider)
        : this(options, timeProvider, connection: null, NullLogger<RedisSessionStore>.Instance, metrics: null)
    {
    }

    /// <summary>Creates a store on the application's connection, which the store does not dispose; it does not log.</summary>
    /// <remarks>When <see cref="RedisSessionStoreOptions.Configuration"/> is set, the store opens its own connection instead.</remarks>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="RedisSessionStoreOptions"/>).</exception>
    public RedisSessionStore(IOptions<RedisSessionStoreOptions> options, TimeProvider timeProvider, IConnectionMultiplexer connection)
        : this(options, timeProvider, connection ?? throw new ArgumentNullException(nameof(connection)), NullLogger<RedisSessionStore>.Instance, metrics: null)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="options">The store's options.</param>
    /// <param name="timeProvider">The clock that decides expiry.</param>
    /// <param name="connection">The connection to use when <see cref="RedisSessionStoreOptions.Configuration"/> is not set; not disposed by the store.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="RedisSessionStoreOptions"/>).</exception>
    /// <exception cref="InvalidOperationException">There is neither a connection nor <see cref="RedisSessionStoreOptions.Configuration"/>.</exception>
    public RedisSessionStore(IOptions<RedisSessionStoreOptions> options, TimeProvider timeProvider, IConnectionMultiplexer? connection, ILogger<RedisSessionStore> logger)
        : this(options, timeProvider, connection, logger ?? throw new ArgumentNullException(nameof(logger)), metrics: null)
    {
    }

    internal RedisSessionStore(
        IOptions<RedisSessionStoreOptions> options,
        TimeProvider timeProvider,
        IConnectionMultiplexer? connection,
        ILogger<RedisSessionStore> logger,
        AuthKitMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        RedisSessionStoreOptionsValidator.ThrowIfInvalid(_options);
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _connection = new RedisConnection(_options, connection, _logger);
        _timeout = _options.OperationTimeout;
        _layout = new RedisKeyLayout(_options.KeyPrefix ?? RedisSessionStoreOptionsValidator.DefaultKeyPrefix(new AuthKitOptions().ApplicationName));
        if (_options.IndexPruneInterval > TimeSpan.Zero)
        {
            _pruneTimer = _time.CreateTimer(static s => ((RedisSessionStore)s!).PruneFromTimer(), this, _options.IndexPruneInterval, _options.IndexPruneInterval);
        }
    }

    /// <inheritdoc />
    /// <remarks><see cref="StoreCapabilities.Durable"/> only when <see cref="RedisSessionStoreOptions.Durable"/> says the server persists its data.</remarks>
    public StoreCapabilities Capabilities => StoreCapabilities.AtomicUpdate | StoreCapabilities.ExactUserIndex | StoreCapabilities.SharedAcrossProcesses
        | (_options.Durable ? StoreCapabilities.Durable : StoreCapabilities.None);

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        RedisValue value;
        try
        {
            var db = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            value = await db.HashGetAsync(_layout.RecordKey(key), DataField).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            _logger.RedisRecordUnreadable();
            return null;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure("get", ex, started);
        }

        Succeeded("get", started);
        if (value.IsNull)
        {
            return null;
        }

        if (!SessionRecordSerializer.TryDeserialize((ReadOnlyMemory<byte>)value, out var record) || record.Key != key)
        {
            _logger.RedisRecordUnreadable();
            return null;
        }

        if (record.IsExpired(_time.GetUtcNow()))
        {
            return null;
        }

        // The record's bytes hold the digest only; the caller's key also says where the record lives (its slot tag).
        return key.HasSlotTag ? record with { Key = key } : record;
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">Redis failed, or (on a cluster) the record has a user but its key does not carry the user's slot tag.</exception>
    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var db = await GetDatabaseForWriteAsync(record, "create", started, cancellationToken).ConfigureAwait(false);
        var (keys, values) = WriteArguments(record, version: 1, extra: 0);
        var result = await EvaluateAsync(db, "create", RedisScripts.Create, keys, values, started, cancellationToken).ConfigureAwait(false);
        return Written(db, record.Key, result);
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">Redis failed, or (on a cluster) the record has a user but its key does not carry the user's slot tag.</exception>
    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var db = await GetDatabaseForWriteAsync(record, "update", started, cancellationToken).ConfigureAwait(false);
        var (keys, values) = WriteArguments(record, expectedVersion + 1, extra: 2);
        values[^2] = expectedVersion.ToString(CultureInfo.InvariantCulture);
        values[^1] = (expectedVersion + 1).ToString(CultureInfo.InvariantCulture);
        var result = await EvaluateAsync(db, "update", RedisScripts.Update, keys, values, started, cancellationToken).ConfigureAwait(false);
        return Written(db, record.Key, result);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var db = await GetDatabaseOrFailAsync("remove", started, cancellationToken).ConfigureAwait(false);
        var recordKey = _layout.RecordKey(key);
        RedisKey[] keys = [recordKey];
        RedisValue[] values = [Now()];
        var result = await EvaluateAsync(db, "remove", RedisScripts.Remove, keys, values, started, cancellationToken).ConfigureAwait(false);
        if (result.Resp2Type != ResultType.Array)
        {
            return false;
        }

        var parts = (RedisResult[])result!;
        if ((string?)parts[1] is { } user)
        {
            ForgetIndexEntry(db, user, key);
        }

        await WaitForReplicasAsync(db, recordKey, "remove", cancellationToken).ConfigureAwait(false);
        return (long)parts[0] == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two round trips: the user's index is read, then one script removes every record it lists that still belongs to the
    /// user, and those entries, atomically. A record created after the index was read survives, indexed.
    /// </remarks>
    public async ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var db = await GetDatabaseOrFailAsync("remove_by_user", started, cancellationToken).ConfigureAwait(false);
        var indexKey = _layout.IndexKey(userId);
        var members = await ReadIndexAsync(db, indexKey, "remove_by_user", started, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var batch in Batches(members, SessionStoreKeys.SlotTag(userId)))
        {
            var (keys, values) = IndexScriptArguments(indexKey, batch, userId, flag: null);
            var result = (RedisResult[])(await EvaluateAsync(db, "remove_by_user", RedisScripts.RemoveByUser, keys, values, started, cancellationToken).ConfigureAwait(false))!;
            removed += (int)result[0];
        }

        if (members.Length > 0)
        {
            await WaitForReplicasAsync(db, indexKey, "remove_by_user", cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <inheritdoc />
    /// <remarks>Two round trips: the user's index is read, then one script returns the live records and prunes the rest.</remarks>
    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var db = await GetDatabaseOrFailAsync("list_by_user", started, cancellationToken).ConfigureAwait(false);
        var indexKey = _layout.IndexKey(userId);
        var members = await ReadIndexAsync(db, indexKey, "list_by_user", started, cancellationToken).ConfigureAwait(false);
        foreach (var batch in Batches(members, SessionStoreKeys.SlotTag(userId)))
        {
            var (keys, values) = IndexScriptArguments(indexKey, batch, userId, flag: "1");
            var result = (RedisResult[])(await EvaluateAsync(db, "list_by_user", RedisScripts.ListAndPrune, keys, values, started, cancellationToken).ConfigureAwait(false))!;
            var now = _time.GetUtcNow();
            for (var i = 0; i + 1 < result.Length; i += 2)
            {
                var bytes = (byte[]?)result[i + 1];
                if (bytes is not null
                    && RedisKeyLayout.TryParseMember((string?)result[i], out var key)
                    && SessionRecordSerializer.TryDeserialize(bytes, out var record)
                    && record.Key == key
                    && string.Equals(record.UserId, userId, StringComparison.Ordinal)
                    && !record.IsExpired(now))
                {
                    yield return key.HasSlotTag ? record with { Key = key } : record;
                }
            }
        }
    }

    /// <inheritdoc />
    string ISessionStoreSetting.ConnectionSetting => _options.Configuration is { Length: > 0 } configuration
        ? $"AuthKit:RedisStore:Configuration ({string.Join(", ", ConfigurationOptions.Parse(configuration).EndPoints.Select(EndPointCollection.ToString))})"
        : "the IConnectionMultiplexer registered in the services (AuthKit:RedisStore:Configuration is not set)";

    /// <summary>Stops the background pruning and closes the connection the store opened (not one it was given).</summary>
    public async ValueTask DisposeAsync()
    {
        _pruneTimer?.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the background pruning; prefer <see cref="DisposeAsync"/>, which also closes the connection.</summary>
    public void Dispose()
    {
        _pruneTimer?.Dispose();
        _ = _connection.DisposeAsync().AsTask();
    }

    /// <summary>The Redis key of a record.</summary>
    internal RedisKey RecordKey(SessionKey key) => _layout.RecordKey(key);

    /// <summary>The Redis key of a user's index.</summary>
    internal RedisKey UserIndexKey(string userId) => _layout.IndexKey(userId);

    /// <summary>What a user's index holds for a record.</summary>
    internal static string IndexMember(SessionKey key) => RedisKeyLayout.Member(key);

    /// <summary>Round-trips a PING; for the health check.</summary>
    internal async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var db = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await db.PingAsync().WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One bounded pass over the per-user indexes (at most <see cref="RedisSessionStoreOptions.IndexPruneBatchSize"/> of
    /// them, resuming where the previous pass stopped, on every primary of a cluster); returns the number of entries
    /// removed. Passes do not overlap.
    /// </summary>
    internal async Task<int> PruneIndexesAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _pruning, 1) != 0)
        {
            return 0;
        }

        try
        {
            return await PruneIndexesCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    private async Task<int> PruneIndexesCoreAsync(CancellationToken cancellationToken)
    {
        var db = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);

        // SCAN walks one server's keyspace: on a cluster each primary holds part of the indexes, so the pass walks them in
        // turn, each from where the previous pass stopped.
        var servers = db.Multiplexer.GetServers()
            .Where(s => s.IsConnected && !s.IsReplica && s.ServerType is ServerType.Standalone or ServerType.Cluster)
            .OrderBy(s => s.EndPoint.ToString(), StringComparer.Ordinal)
            .ToList();
        var pattern = _layout.IndexPattern;
        var visited = 0;
        var removed = 0;
        var scans = 0;
        var serversDone = 0;
        while (visited < _options.IndexPruneBatchSize)
        {
            if (!_pruneQueue.TryDequeue(out var key))
            {
                // A pass reads at most MaxScansPerPass pages and stops once every server's keyspace has been walked, so a
                // large database costs a bounded amount of work per pass.
                if (scans == MaxScansPerPass || servers.Count == 0 || serversDone >= servers.Count)
                {
                    break;
                }

                var server = servers[_pruneServer % servers.Count];
                var endpoint = server.EndPoint.ToString() ?? "";
                var cursor = _pruneCursors.GetValueOrDefault(endpoint);
                var page = (RedisResult[])(await server.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", 1000).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))!;
                scans++;
                cursor = long.Parse((string)page[0]!, CultureInfo.InvariantCulture);
                _pruneCursors[endpoint] = cursor;
                if (cursor == 0)
                {
                    _pruneServer++;
                    serversDone++;
                }

                foreach (var found in (RedisKey[])page[1]!)
                {
                    _pruneQueue.Enqueue(found);
                }

                continue;
            }

            if (_layout.UserOfIndexKey((string)key!) is { } user)
            {
                removed += await PruneIndexAsync(db, key, user, cancellationToken).ConfigureAwait(false);
            }

            visited++;
        }

        _logger.RedisIndexPruned(removed, visited);
        return removed;
    }

    private async Task<int> PruneIndexAsync(IDatabase db, RedisKey indexKey, string userId, CancellationToken cancellationToken)
    {
        var members = await db.SetMembersAsync(indexKey).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var batch in Batches(members, SessionStoreKeys.SlotTag(userId)))
        {
            var (keys, values) = IndexScriptArguments(indexKey, batch, userId, flag: "0");
            removed += (int)await db.ScriptEvaluateAsync(RedisScripts.ListAndPrune, keys, values).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Splits index members into script-sized batches. Members under the user's slot tag share the index's slot; a member
    /// under another tag (a record created for the user with a key that did not carry the tag, possible on one server) goes
    /// in a batch of its own with the index, which one server runs like any other.
    /// </summary>
    private static IEnumerable<List<string>> Batches(RedisValue[] members, string userTag)
    {
        var batch = new List<string>();
        foreach (var value in members)
        {
            var member = (string?)value;
            if (member is null)
            {
                continue;
            }

            if (member.Length < 2 + SessionKey.SlotTagLength || !RedisKeyLayout.TagOfMember(member).SequenceEqual(userTag.AsSpan()))
            {
                yield return [member];
                continue;
            }

            batch.Add(member);
            if (batch.Count == MaxKeysPerScript)
            {
                yield return batch;
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private (RedisKey[] Keys, RedisValue[] Values) IndexScriptArguments(RedisKey indexKey, List<string> members, string userId, string? flag)
    {
        var keys = new RedisKey[1 + members.Count];
        keys[0] = indexKey;
        var fixedArgs = flag is null ? 2 : 3;
        var values = new RedisValue[fixedArgs + members.Count];
        values[0] = Now();
        values[1] = userId;
        if (flag is not null)
        {
            values[2] = flag;
        }

        for (var i = 0; i < members.Count; i++)
        {
            keys[1 + i] = _layout.RecordKeyOfMember(members[i]);
            values[fixedArgs + i] = members[i];
        }

        return (keys, values);
    }

    private (RedisKey[] Keys, RedisValue[] Values) WriteArguments(SessionRecord record, long version, int extra)
    {
        var member = RedisKeyLayout.Member(record.Key);
        var now = _time.GetUtcNow();
        var ttl = record.ExpiresAt - now;
        var ttlMs = ttl <= TimeSpan.Zero ? 1 : (long)Math.Min(Math.Ceiling(ttl.TotalMilliseconds), MaxTtlMilliseconds);
        var user = record.UserId;
        var recordKey = _layout.RecordPrefix + member;
        RedisKey[] keys = user is null ? [recordKey] : [recordKey, _layout.IndexKey(user)];
        var values = new RedisValue[6 + extra];
        values[0] = ToMicroseconds(now, ceiling: false);
        values[1] = ToMicroseconds(record.ExpiresAt, ceiling: true);
        values[2] = ttlMs;
        values[3] = SessionRecordSerializer.Serialize(record with { Version = version });
        values[4] = member;
        values[5] = user ?? "";
        return (keys, values);
    }

    /// <summary>Reads a write script's answer: 0 (refused) or {1, the record's previous user when it changed hands}.</summary>
    private bool Written(IDatabase db, SessionKey key, RedisResult result)
    {
        if (result.Resp2Type != ResultType.Array)
        {
            return false;
        }

        if ((string?)((RedisResult[])result!)[1] is { } previousUser)
        {
            ForgetIndexEntry(db, previousUser, key);
        }

        return true;
    }

    /// <summary>
    /// Drops a record's entry from a user's index once the record left that user (removed, or given to another user).
    /// A script cannot do it: the index of another user may live in another hash slot. Fire-and-forget: an entry left
    /// behind is harmless (readers check the record's user) and is pruned later.
    /// </summary>
    private void ForgetIndexEntry(IDatabase db, string userId, SessionKey key)
    {
        try
        {
            _ = db.SetRemoveAsync(_layout.IndexKey(userId), RedisKeyLayout.Member(key), CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            _logger.RedisIndexPruneFailed(ex);
        }
    }

    /// <summary>
    /// With <see cref="RedisSessionStoreOptions.ReplicasToAcknowledgeRemovals"/>, waits (Redis <c>WAIT</c>) until that many
    /// replicas of the primary that just removed records have the removal, so a failover right after cannot bring them back.
    /// </summary>
    private async ValueTask WaitForReplicasAsync(IDatabase db, RedisKey routedBy, string operation, CancellationToken cancellationToken)
    {
        var wanted = _options.ReplicasToAcknowledgeRemovals;
        if (wanted <= 0)
        {
            return;
        }

        var started = _time.GetTimestamp();
        long acknowledged;
        try
        {
            var server = db.Multiplexer.GetServer(routedBy);
            var result = await server.ExecuteAsync("WAIT", wanted, (long)_timeout.TotalMilliseconds).WaitAsync(_timeout + _timeout, cancellationToken).ConfigureAwait(false);
            acknowledged = (long)result;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure(operation + "_wait", ex, started);
        }

        if (acknowledged < wanted)
        {
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastReplicaWarning);
            if ((last == 0 || now - last >= FailureLogIntervalSeconds * 1000L) && Interlocked.CompareExchange(ref _lastReplicaWarning, now, last) == last)
            {
                _logger.RedisRemovalNotReplicated(operation, acknowledged, wanted);
            }
        }
    }

    private async ValueTask<RedisValue[]> ReadIndexAsync(IDatabase db, RedisKey indexKey, string operation, long started, CancellationToken cancellationToken)
    {
        try
        {
            return await db.SetMembersAsync(indexKey).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure(operation, ex, started);
        }
    }

    private async ValueTask<RedisResult> EvaluateAsync(IDatabase db, string operation, string script, RedisKey[] keys, RedisValue[] values, long started, CancellationToken cancellationToken)
    {
        RedisResult result;
        try
        {
            result = await db.ScriptEvaluateAsync(script, keys, values).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure(operation, ex, started);
        }

        Succeeded(operation, started);
        return result;
    }

    private async ValueTask<IDatabase> GetDatabaseOrFailAsync(string operation, long started, CancellationToken cancellationToken)
    {
        try
        {
            return await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure(operation, ex, started);
        }
    }

    /// <summary>The database for a write, after checking that a user's record can live beside the user's index.</summary>
    private async ValueTask<IDatabase> GetDatabaseForWriteAsync(SessionRecord record, string operation, long started, CancellationToken cancellationToken)
    {
        var db = await GetDatabaseOrFailAsync(operation, started, cancellationToken).ConfigureAwait(false);
        if (record.UserId is { } user && IsCluster(db.Multiplexer) && !string.Equals(record.Key.SlotTag, SessionStoreKeys.SlotTag(user), StringComparison.Ordinal))
        {
            throw new SessionStoreException(
                "On Redis Cluster, a record of a user must be filed under the user's slot tag: issue its ID for the user " +
                "(an ID that ends with '.' and SessionStoreKeys.SlotTag(userId)), as AuthKit's session scheme and token service do.");
        }

        return db;
    }

    private bool IsCluster(IConnectionMultiplexer connection)
    {
        var known = Volatile.Read(ref _cluster);
        if (known >= 0)
        {
            return known == 1;
        }

        var servers = connection.GetServers();
        if (!servers.Any(s => s.IsConnected))
        {
            return false;
        }

        var cluster = servers.Any(s => s.ServerType == ServerType.Cluster);
        Volatile.Write(ref _cluster, cluster ? 1 : 0);
        return cluster;
    }

    private async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var pending = _connection.GetAsync();
        // An I/O deadline, not business time: it stays on the real clock even when tests fake the TimeProvider.
        var connection = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }

    private RedisValue Now() => ToMicroseconds(_time.GetUtcNow(), ceiling: false);

    private static long ToMicroseconds(DateTimeOffset time, bool ceiling)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var micros = ticks / TimeSpan.TicksPerMicrosecond;
        return ceiling && ticks % TimeSpan.TicksPerMicrosecond > 0 ? micros + 1 : micros;
    }

    private static bool IsFailure(Exception exception, CancellationToken cancellationToken)
        => !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private SessionStoreException Failure(string operation, Exception exception, long started)
    {
        Interlocked.Exchange(ref _failing, 1);
        _metrics?.StoreOperation(StoreName, operation, "error", _time.GetElapsedTime(started));
        // Rate-limited on the machine's uptime clock (never zero), not the TimeProvider: tests that freeze time still see the first warning.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFailureLog);
        if ((last == 0 || now - last >= FailureLogIntervalSeconds * 1000L) && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            _logger.RedisStoreFailed(operation, FailureLogIntervalSeconds, exception);
        }
        else
        {
            _logger.RedisStoreFailedAgain(operation, exception);
        }

        var reason = exception switch
        {
            TimeoutException => $"did not answer within {_timeout.TotalMilliseconds:0} ms",
            RedisConnectionException => "is not reachable",
            _ => "failed",
        };
        return new SessionStoreException($"The Redis session store {reason} ({operation}).", exception);
    }

    private void Succeeded(string operation, long started)
    {
        if (Volatile.Read(ref _failing) != 0 && Interlocked.Exchange(ref _failing, 0) != 0)
        {
            _logger.RedisStoreRecovered();
        }

        _metrics?.StoreOperation(StoreName, operation, "ok", _time.GetElapsedTime(started));
    }

    private void PruneFromTimer()
    {
        if (Volatile.Read(ref _pruning) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PruneIndexesAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.RedisIndexPruneFailed(ex);
            }
        });
    }
}
