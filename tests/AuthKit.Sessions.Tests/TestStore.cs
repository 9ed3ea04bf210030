using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Tests;

/// <summary>A memory store that counts calls and can be told to fail, hang, or hold reads at a barrier.</summary>
public sealed class TestStore(TimeProvider time) : ISessionStore
{
    private readonly MemorySessionStore _inner = new(Options.Create(new MemorySessionStoreOptions()), time);
    private int _gets;
    private int _creates;
    private int _updates;
    private int _removes;

    public enum FailureMode
    {
        None,
        Throw,
        ThrowForeign,
        Hang,
    }

    public FailureMode Mode { get; set; }

    /// <summary>Makes only <see cref="UpdateAsync"/> and <see cref="CreateAsync"/> throw.</summary>
    public bool FailUpdates { get; set; }

    public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, each read waits here until the barrier opens (then the barrier is spent).</summary>
    public ReadBarrier? Barrier { get; set; }

    /// <summary>Makes each read complete asynchronously, so concurrent requests interleave between their read and their write.</summary>
    public bool YieldOnRead { get; set; }

    public int Gets => Volatile.Read(ref _gets);

    public int Creates => Volatile.Read(ref _creates);

    public int Updates => Volatile.Read(ref _updates);

    public int Removes => Volatile.Read(ref _removes);

    public int Writes => Creates + Updates + Removes;

    public MemorySessionStore Inner => _inner;

    public StoreCapabilities Capabilities => _inner.Capabilities;

    public void ResetCounts()
    {
        _gets = _creates = _updates = _removes = 0;
    }

    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        await FailIfAskedAsync().ConfigureAwait(false);
        var record = await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (YieldOnRead)
        {
            await Task.Yield();
        }

        if (Barrier is { } barrier)
        {
            await barrier.ArriveAsync().ConfigureAwait(false);
        }

        return record;
    }

    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _creates);
        await FailIfAskedAsync().ConfigureAwait(false);
        if (FailUpdates)
        {
            throw new SessionStoreException("write refused");
        }

        return await _inner.CreateAsync(record, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _updates);
        await FailIfAskedAsync().ConfigureAwait(false);
        if (FailUpdates)
        {
            throw new SessionStoreException("write refused");
        }

        return await _inner.UpdateAsync(record, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _removes);
        await FailIfAskedAsync().ConfigureAwait(false);
        return await _inner.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await FailIfAskedAsync().ConfigureAwait(false);
        return await _inner.RemoveByUserAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await FailIfAskedAsync().ConfigureAwait(false);
        await foreach (var r in _inner.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false))
        {
            yield return r;
        }
    }

    private Task FailIfAskedAsync()
    {
        switch (Mode)
        {
            case FailureMode.Throw:
                Entered.TrySetResult();
                throw new SessionStoreException("disk on fire");
            case FailureMode.ThrowForeign:
                Entered.TrySetResult();
                throw new IOException("connection reset by peer");
            case FailureMode.Hang:
                Entered.TrySetResult();
                return new TaskCompletionSource().Task; // never completes, ignores cancellation
            default:
                return Task.CompletedTask;
        }
    }
}

/// <summary>Holds the first <c>count</c> arrivals until all of them are there; later arrivals pass.</summary>
public sealed class ReadBarrier(int count)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public Task ArriveAsync()
    {
        var n = Interlocked.Increment(ref _arrived);
        if (n > count)
        {
            return Task.CompletedTask;
        }

        if (n == count)
        {
            _open.TrySetResult();
        }

        return _open.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
