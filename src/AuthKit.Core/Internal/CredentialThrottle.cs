using AuthKit.Internal.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>
/// The <see cref="ICredentialThrottle"/> service: picks the state's home (memory, or the shared session store) and hands out leases.
/// </summary>
internal sealed class CredentialThrottle : ICredentialThrottle
{
    private readonly IOptionsMonitor<CredentialThrottleOptions> _options;
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MemoryThrottleBackend _memory;
    private readonly StoreThrottleBackend _shared;
    private int _storageLogged;

    public CredentialThrottle(IOptionsMonitor<CredentialThrottleOptions> options, ISessionStore store, TimeProvider time, IOptions<AuthKitOptions> authKit, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(authKit);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _store = store;
        _time = time;
        _logger = loggerFactory.CreateLogger("AuthKit.CredentialThrottle");
        _memory = new MemoryThrottleBackend(() => _options.CurrentValue.MaxTrackedEntries, _logger);
        _shared = new StoreThrottleBackend(store, authKit.Value.ApplicationName, _logger);
    }

    /// <summary>The memory tables, for tests.</summary>
    internal MemoryThrottleBackend Memory => _memory;

    public async ValueTask<CredentialThrottleLease> TryAcquireAsync(string userName, HttpContext httpContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(httpContext);
        cancellationToken.ThrowIfCancellationRequested();
        var options = _options.CurrentValue;
        var backend = Backend(options);
        var client = ThrottleClient.From(httpContext.Connection.RemoteIpAddress);
        var leaseId = Random.Shared.NextInt64(1, long.MaxValue);
        var status = await backend.TryReserveAsync(userName, client, leaseId, Now, new ThrottleLimits(options), cancellationToken).ConfigureAwait(false);
        if (status.IsThrottled)
        {
            _logger.ThrottleRefused(userName, client.ToString(), status.Limit, status.RetryAfterSeconds);
            return new Lease(this, backend, status, userName, client, 0);
        }

        return new Lease(this, backend, status, userName, client, leaseId);
    }

    public async ValueTask<CredentialThrottleStatus> CheckAsync(string userName, HttpContext httpContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(httpContext);
        var options = _options.CurrentValue;
        var client = ThrottleClient.From(httpContext.Connection.RemoteIpAddress);
        var status = await Backend(options).CheckAsync(userName, client, Now, new ThrottleLimits(options), cancellationToken).ConfigureAwait(false);
        if (status.IsThrottled)
        {
            _logger.ThrottleRefused(userName, client.ToString(), status.Limit, status.RetryAfterSeconds);
        }

        return status;
    }

    private long Now => _time.GetUtcNow().UtcTicks;

    private IThrottleBackend Backend(CredentialThrottleOptions options)
    {
        var shared = options.Storage switch
        {
            CredentialThrottleStorage.Memory => false,
            CredentialThrottleStorage.SessionStore => true,
            _ => (_store.Capabilities & StoreCapabilities.SharedAcrossProcesses) != 0,
        };
        if (Interlocked.Exchange(ref _storageLogged, 1) == 0)
        {
            _logger.ThrottleStorage(shared ? $"in the session store ({_store.GetType().Name}), shared by every instance" : "in process memory (each instance counts on its own)");
        }

        return shared ? _shared : _memory;
    }

    private async ValueTask CompleteAsync(IThrottleBackend backend, string userName, ThrottleClient client, long leaseId, ThrottleOutcome outcome, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        await backend.CompleteAsync(userName, client, leaseId, outcome, Now, new ThrottleLimits(options), cancellationToken).ConfigureAwait(false);
    }

    private sealed class Lease(CredentialThrottle owner, IThrottleBackend backend, CredentialThrottleStatus status, string userName, ThrottleClient client, long leaseId)
        : CredentialThrottleLease
    {
        private int _done = leaseId == 0 ? 1 : 0;

        public override CredentialThrottleStatus Status => status;

        public override ValueTask RecordSuccessAsync(CancellationToken cancellationToken = default) => CompleteAsync(ThrottleOutcome.Success, cancellationToken);

        public override ValueTask RecordFailureAsync(CancellationToken cancellationToken = default) => CompleteAsync(ThrottleOutcome.Failure, cancellationToken);

        protected override async ValueTask DisposeAsyncCore()
        {
            try
            {
                await CompleteAsync(ThrottleOutcome.Abandoned, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                owner._logger.ThrottleReleaseFailed(ex);
            }
        }

        private ValueTask CompleteAsync(ThrottleOutcome outcome, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _done, 1) == 0
                ? owner.CompleteAsync(backend, userName, client, leaseId, outcome, cancellationToken)
                : ValueTask.CompletedTask;
    }
}
