using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Internal;

/// <summary>
/// The store's connection: either the application's <see cref="IConnectionMultiplexer"/> or one the store opens itself,
/// asynchronously, on first use. A connection opened here never aborts on a failed connect; StackExchange.Redis keeps
/// reconnecting in the background, and commands fail fast while it is down, so callers get an error instead of a wait.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly RedisSessionStoreOptions _options;
    private readonly IConnectionMultiplexer? _external;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisConnection(RedisSessionStoreOptions options, IConnectionMultiplexer? external, ILogger logger)
    {
        _options = options;
        _external = options.Configuration is null ? external : null;
        _logger = logger;
        if (_external is null && options.Configuration is null)
        {
            throw new InvalidOperationException(
                "The Redis session store has no connection: set AuthKit:RedisStore:Configuration (RedisSessionStoreOptions.Configuration) or register an IConnectionMultiplexer.");
        }
    }

    /// <summary>Whether the store opened (and so owns) its connection.</summary>
    public bool OwnsConnection => _external is null;

    public ValueTask<IConnectionMultiplexer> GetAsync()
    {
        if (_external is not null)
        {
            return new ValueTask<IConnectionMultiplexer>(_external);
        }

        var connecting = Volatile.Read(ref _connecting);
        if (connecting is { IsCompletedSuccessfully: true })
        {
            return new ValueTask<IConnectionMultiplexer>(connecting.Result);
        }

        return new ValueTask<IConnectionMultiplexer>(StartOrJoin());
    }

    public static ConfigurationOptions CreateConfiguration(RedisSessionStoreOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);
        configuration.SyncTimeout = configuration.AsyncTimeout;

        // Queueing commands while disconnected would turn an outage into requests that wait for the timeout; fail at once instead.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        configuration.ClientName ??= "authkit";
        options.ConfigureConnection?.Invoke(configuration);
        return configuration;
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is not null && _external is null)
        {
            try
            {
                var connection = await connecting.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ArgumentException or InvalidOperationException)
            {
                // Never connected: nothing to close.
            }
        }
    }

    private Task<IConnectionMultiplexer> StartOrJoin()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync();
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var configuration = CreateConfiguration(_options);
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        connection.ConnectionFailed += (_, e) => _logger.RedisConnectionFailed(e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);
        connection.ConnectionRestored += (_, e) => _logger.RedisConnectionRestored(e.EndPoint?.ToString() ?? "?");
        if (!connection.IsConnected)
        {
            _logger.RedisNotConnectedYet();
        }

        return connection;
    }
}
