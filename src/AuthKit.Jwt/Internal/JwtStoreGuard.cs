using Microsoft.Extensions.Logging;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// The token service's store calls, each bounded by <see cref="JwtAuthenticationOptions.StoreTimeout"/>: a failure or timeout becomes
/// <see cref="JwtStoreUnavailableException"/>, logged at most once per <see cref="JwtAuthenticationOptions.StoreErrorLogInterval"/>.
/// The caller's own cancellation is not a store failure and surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class JwtStoreGuard(ISessionStore store, TimeProvider time, ILogger logger, TimeSpan timeout, TimeSpan logInterval)
{
    private long _lastFailureLog = long.MinValue;
    private long _suppressedFailures;
    private TimeoutSlot? _slot;

    public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var timeoutToken = TimeoutToken();
        ValueTask<SessionRecord?> call;
        try
        {
            call = store.GetAsync(key, timeoutToken);
        }
        catch (Exception ex)
        {
            throw Failure("read", ex, cancellationToken);
        }

        // The denylist lookup runs on every request: a store that answers synchronously (memory) costs no task and no timer here.
        return call.IsCompletedSuccessfully ? call : AwaitAsync(call, "read", timeoutToken, cancellationToken);
    }

    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var timeoutToken = TimeoutToken();
        ValueTask<bool> call;
        try
        {
            call = store.CreateAsync(record, timeoutToken);
        }
        catch (Exception ex)
        {
            throw Failure("create", ex, cancellationToken);
        }

        return await AwaitAsync(call, "create", timeoutToken, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var timeoutToken = TimeoutToken();
        ValueTask<bool> call;
        try
        {
            call = store.UpdateAsync(record, expectedVersion, timeoutToken);
        }
        catch (Exception ex)
        {
            throw Failure("update", ex, cancellationToken);
        }

        return await AwaitAsync(call, "update", timeoutToken, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var timeoutToken = TimeoutToken();
        ValueTask<bool> call;
        try
        {
            call = store.RemoveAsync(key, timeoutToken);
        }
        catch (Exception ex)
        {
            throw Failure("remove", ex, cancellationToken);
        }

        return await AwaitAsync(call, "remove", timeoutToken, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's records of one kind; the whole listing is bounded by one <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</summary>
    public async Task<List<SessionRecord>> ListAsync(string userId, SessionRecordKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var list = new List<SessionRecord>();
        try
        {
            var enumerator = store.ListByUserAsync(userId, linked.Token).GetAsyncEnumerator(linked.Token);
            var finished = false;
            try
            {
                while (true)
                {
                    var next = enumerator.MoveNextAsync();
                    if (!(next.IsCompletedSuccessfully ? next.Result : await next.AsTask().WaitAsync(linked.Token).ConfigureAwait(false)))
                    {
                        break;
                    }

                    if (enumerator.Current.Kind == kind)
                    {
                        list.Add(enumerator.Current);
                    }
                }

                finished = true;
            }
            finally
            {
                // A hung enumerator is abandoned, not awaited: disposing it could hang too.
                if (finished)
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            throw Failure("list", ex, cancellationToken);
        }

        return list;
    }

    private async ValueTask<T> AwaitAsync<T>(ValueTask<T> call, string operation, CancellationToken timeoutToken, CancellationToken cancellationToken)
    {
        try
        {
            if (call.IsCompleted)
            {
                return call.Result;
            }

            // A store that ignores its token must not hold the request past the timeout either, nor past the caller's cancellation.
            if (!cancellationToken.CanBeCanceled)
            {
                return await call.AsTask().WaitAsync(timeoutToken).ConfigureAwait(false);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutToken, cancellationToken);
            return await call.AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure(operation, ex, cancellationToken);
        }
    }

    /// <summary>
    /// A token that fires at most <see cref="JwtAuthenticationOptions.StoreTimeout"/> from now. Calls starting within the same tenth of the timeout
    /// share one token, so a validation allocates no timer: each call gets between 90 % and 100 % of the timeout.
    /// </summary>
    private CancellationToken TimeoutToken()
    {
        var now = time.GetTimestamp();
        var slot = _slot;
        if (slot is not null && now < slot.ReuseUntil && !slot.Source.IsCancellationRequested)
        {
            return slot.Source.Token;
        }

        var fresh = new TimeoutSlot(new CancellationTokenSource(timeout, time), now + (long)(timeout.TotalSeconds / 10 * time.TimestampFrequency));
        _slot = fresh;
        return fresh.Source.Token;
    }

    private Exception Failure(string operation, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is JwtStoreUnavailableException)
        {
            return exception;
        }

        if (cancellationToken.IsCancellationRequested && exception is OperationCanceledException)
        {
            // The caller gave up (the client went away): not the store's fault, nothing to log.
            return exception;
        }

        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastFailureLog);
        if ((last == long.MinValue || now - last >= logInterval.Ticks) && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            var reason = exception is OperationCanceledException or TimeoutException
                ? $"no answer within AuthKit:Jwt:StoreTimeout ({timeout.TotalMilliseconds:0} ms)"
                : exception.GetType().Name;
            logger.TokenStoreFailed(operation, reason, Interlocked.Exchange(ref _suppressedFailures, 0), exception);
        }
        else
        {
            Interlocked.Increment(ref _suppressedFailures);
        }

        return new JwtStoreUnavailableException(operation, exception);
    }

    private sealed record TimeoutSlot(CancellationTokenSource Source, long ReuseUntil);
}
