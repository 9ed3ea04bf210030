using System.Globalization;
using System.Runtime.CompilerServices;
using AuthKit.Sessions.Redis.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis;

/// <summary>
/// An <see cref="ISessionStore"/> on Redis (or a Redis-compatible server with Lua scripting, such as Garnet), shared by
/// every application instance that points at the same server and key prefix.
/// </summary>
/// <remarks>
/// <para>A read is one <c>HGET</c>; create, update and remove are one Lua script each, which checks the version and
/// writes the record, its time-to-live and the user's index together. The per-user index is a set per user, so
/// <see cref="RemoveByUserAsync"/> and <see cref="ListByUserAsync"/> are exact; entries of expired records are dropped on
/// read and by a bounded background pass, and the set itself expires with the user's longest-lived record.</para>
/// <para>Store failures (connection lost, timeout) surface as <see cref="SessionStoreException"/> within
/// <see cref="RedisSessionStoreOptions.OperationTimeout"/>; the store recovers by itself when Redis is back.</para>
/// <para>Keys hold only the SHA-256 digest of a session ID; a dump of Redis cannot be replayed as cookies. Redis Cluster
/// is not supported: a record and its user's index may live in different slots.</para>
/// </remarks>
public sealed class RedisSessionStore : ISessionStore, IAsyncDisposable, IDisposable
{
    private const string StoreName = "redis";
    private const int FailureLogIntervalSeconds = 30;
    private const int MaxScansPerPass = 50;
    private const long MaxTtlMilliseconds = 100L * 365 * 24 * 3600 * 1000;
    private static readonly RedisValue DataField = "d";

    private readonly RedisSessionStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthKitMetrics? _metrics;
    private readonly RedisConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly string _recordPrefix;
    private readonly string _userPrefix;
    private readonly ITimer? _pruneTimer;
    private readonly System.Collections.Concurrent.ConcurrentQueue<RedisKey> _pruneQueue = new();
    private long _lastFailureLog;
    private int _failing;
    private int _pruning;
    private long _pruneCursor;

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
        var prefix = _options.KeyPrefix ?? RedisSessionStoreOptionsValidator.DefaultKeyPrefix(new AuthKitOptions().ApplicationName);
        _recordPrefix = prefix + "s:";
        _userPrefix = prefix + "u:";
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
            value = await db.HashGetAsync(RecordKey(key), DataField).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
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

        return record.IsExpired(_time.GetUtcNow()) ? null : record;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var (keys, values) = WriteArguments(record, version: 1, extra: 0);
        var result = await EvaluateAsync("create", RedisScripts.Create, keys, values, started, cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var (keys, values) = WriteArguments(record, expectedVersion + 1, extra: 2);
        values[^2] = expectedVersion.ToString(CultureInfo.InvariantCulture);
        values[^1] = (expectedVersion + 1).ToString(CultureInfo.InvariantCulture);
        var result = await EvaluateAsync("update", RedisScripts.Update, keys, values, started, cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        var member = key.ToString();
        RedisKey[] keys = [_recordPrefix + member];
        RedisValue[] values = [Now(), member, _userPrefix];
        var result = await EvaluateAsync("remove", RedisScripts.Remove, keys, values, started, cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        RedisKey[] keys = [_userPrefix + userId];
        RedisValue[] values = [Now(), _recordPrefix, userId];
        var result = await EvaluateAsync("remove_by_user", RedisScripts.RemoveByUser, keys, values, started, cancellationToken).ConfigureAwait(false);
        return (int)result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        RedisKey[] keys = [_userPrefix + userId];
        RedisValue[] values = [Now(), _recordPrefix, userId, "1"];
        var result = await EvaluateAsync("list_by_user", RedisScripts.ListAndPrune, keys, values, started, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var item in (RedisResult[])result!)
        {
            var bytes = (byte[]?)item;
            if (bytes is not null
                && SessionRecordSerializer.TryDeserialize(bytes, out var record)
                && string.Equals(record.UserId, userId, StringComparison.Ordinal)
                && !record.IsExpired(now))
            {
                yield return record;
            }
        }
    }

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
    internal RedisKey RecordKey(SessionKey key) => _recordPrefix + key.ToString();

    /// <summary>The Redis key of a user's index.</summary>
    internal RedisKey UserIndexKey(string userId) => _userPrefix + userId;

    /// <summary>Round-trips a PING; for the health check.</summary>
    internal async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var db = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await db.PingAsync().WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One bounded pass over the per-user indexes (at most <see cref="RedisSessionStoreOptions.IndexPruneBatchSize"/> of
    /// them, resuming where the previous pass stopped); returns the number of entries removed. Passes do not overlap.
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
        var pattern = EscapeGlob(_userPrefix) + "*";
        var visited = 0;
        var removed = 0;
        var scans = 0;
        while (visited < _options.IndexPruneBatchSize)
        {
            if (!_pruneQueue.TryDequeue(out var key))
            {
                // A pass resumes the keyspace scan where the previous one stopped, and reads at most MaxScansPerPass pages,
                // so a large database costs a bounded amount of work per pass.
                if (scans == MaxScansPerPass || (scans > 0 && _pruneCursor == 0))
                {
                    break;
                }

                var page = (RedisResult[])(await db.ExecuteAsync("SCAN", _pruneCursor, "MATCH", pattern, "COUNT", 1000).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))!;
                scans++;
                _pruneCursor = long.Parse((string)page[0]!, CultureInfo.InvariantCulture);
                foreach (var found in (RedisKey[])page[1]!)
                {
                    _pruneQueue.Enqueue(found);
                }

                continue;
            }

            var name = (string)key!;
            RedisValue[] values = [Now(), _recordPrefix, name[_userPrefix.Length..], "0"];
            var result = await db.ScriptEvaluateAsync(RedisScripts.ListAndPrune, [key], values).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            removed += (int)result;
            visited++;
        }

        _logger.RedisIndexPruned(removed, visited);
        return removed;
    }

    private (RedisKey[] Keys, RedisValue[] Values) WriteArguments(SessionRecord record, long version, int extra)
    {
        var member = record.Key.ToString();
        var now = _time.GetUtcNow();
        var ttl = record.ExpiresAt - now;
        var ttlMs = ttl <= TimeSpan.Zero ? 1 : (long)Math.Min(Math.Ceiling(ttl.TotalMilliseconds), MaxTtlMilliseconds);
        var user = record.UserId;
        RedisKey[] keys = user is null ? [_recordPrefix + member] : [_recordPrefix + member, _userPrefix + user];
        var values = new RedisValue[7 + extra];
        values[0] = ToMicroseconds(now, ceiling: false);
        values[1] = ToMicroseconds(record.ExpiresAt, ceiling: true);
        values[2] = ttlMs;
        values[3] = SessionRecordSerializer.Serialize(record with { Version = version });
        values[4] = member;
        values[5] = user ?? "";
        values[6] = _userPrefix;
        return (keys, values);
    }

    private async ValueTask<RedisResult> EvaluateAsync(string operation, string script, RedisKey[] keys, RedisValue[] values, long started, CancellationToken cancellationToken)
    {
        RedisResult result;
        try
        {
            var db = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            result = await db.ScriptEvaluateAsync(script, keys, values).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Failure(operation, ex, started);
        }

        Succeeded(operation, started);
        return result;
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

    private static string EscapeGlob(string text)
    {
        if (text.AsSpan().IndexOfAny("*?[]\\") < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
