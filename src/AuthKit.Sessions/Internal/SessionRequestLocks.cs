namespace AuthKit.Sessions.Internal;

/// <summary>
/// In-process, per-session async locks (<see cref="SessionAuthenticationOptions.SerializeRequests"/>): one ref-counted
/// <see cref="SemaphoreSlim"/> per session key with a holder or waiters, removed when the last one leaves (bounded memory).
/// </summary>
/// <remarks>
/// The table is striped by key: a stripe's monitor guards only its short list of entries (held for a lookup, never while a
/// request holds a session), so two sessions never wait for each other. Removed entries stay in their stripe's small pool with
/// their semaphore, so a request allocates nothing for its lock.
/// </remarks>
internal sealed class SessionRequestLocks
{
    /// <summary>The number of stripes (a power of two).</summary>
    internal const int StripeCount = 128;
    private const int PoolPerStripe = 4;

    private readonly Stripe[] _stripes = CreateStripes();
    private int _count;

    /// <summary>The number of sessions with a holder or waiters (tests).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Waits for the session's lock without blocking a thread. Returns the held lock (give it back with <see cref="Release"/>,
    /// once), or <see langword="null"/> when <paramref name="timeout"/> fired first; throws <see cref="OperationCanceledException"/>
    /// when <paramref name="aborted"/> fired.
    /// </summary>
    public ValueTask<Entry?> AcquireAsync(SessionKey key, CancellationToken timeout, CancellationToken aborted)
    {
        var entry = Enter(key);

        // Fast path, synchronous: a free lock is taken at once (a zero timeout never blocks), without a state machine or a linked token source.
        return entry.Semaphore.Wait(0) ? new ValueTask<Entry?>(entry) : WaitAsync(entry, timeout, aborted);
    }

    /// <summary>Gives back a lock that <see cref="AcquireAsync"/> returned: the session's next request goes in.</summary>
    public void Release(Entry entry)
    {
        entry.Semaphore.Release();
        Leave(entry);
    }

    private async ValueTask<Entry?> WaitAsync(Entry entry, CancellationToken timeout, CancellationToken aborted)
    {
        try
        {
            using var linked = aborted.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(timeout, aborted) : null;
            try
            {
                // On cancellation SemaphoreSlim guarantees the count was not taken.
                await entry.Semaphore.WaitAsync(linked?.Token ?? timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                Leave(entry);
                return null;
            }
        }
        catch
        {
            Leave(entry);
            throw;
        }

        return entry;
    }

    private static Stripe[] CreateStripes()
    {
        var stripes = new Stripe[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Stripe();
        }

        return stripes;
    }

    /// <summary>The stripe a key's entry lives in.</summary>
    internal static int StripeIndex(SessionKey key) => key.GetHashCode() & (StripeCount - 1);

    private Stripe StripeOf(SessionKey key) => _stripes[StripeIndex(key)];

    private Entry Enter(SessionKey key)
    {
        var stripe = StripeOf(key);
        Entry? fresh;
        lock (stripe)
        {
            for (var entry = stripe.Live; entry is not null; entry = entry.Next)
            {
                if (entry.Key.Equals(key))
                {
                    entry.References++;
                    return entry;
                }
            }

            fresh = stripe.Pool;
            if (fresh is not null)
            {
                stripe.Pool = fresh.Next;
                stripe.Pooled--;
            }
            else
            {
                fresh = new Entry();
            }

            fresh.Key = key;
            fresh.References = 1;
            fresh.Next = stripe.Live;
            stripe.Live = fresh;
        }

        Interlocked.Increment(ref _count);
        return fresh;
    }

    private void Leave(Entry entry)
    {
        var stripe = StripeOf(entry.Key);
        lock (stripe)
        {
            if (--entry.References > 0)
            {
                return;
            }

            if (ReferenceEquals(stripe.Live, entry))
            {
                stripe.Live = entry.Next;
            }
            else
            {
                var previous = stripe.Live!;
                while (!ReferenceEquals(previous.Next, entry))
                {
                    previous = previous.Next!;
                }

                previous.Next = entry.Next;
            }

            entry.Next = null;
            entry.Key = default;

            // Only a free semaphore with nobody left on it is reused.
            if (stripe.Pooled < PoolPerStripe && entry.Semaphore.CurrentCount == 1)
            {
                entry.Next = stripe.Pool;
                stripe.Pool = entry;
                stripe.Pooled++;
            }
        }

        Interlocked.Decrement(ref _count);
    }

    /// <summary>One session's lock, linked in its stripe's list while it has a holder or waiters (all fields under the stripe's monitor).</summary>
    internal sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public SessionKey Key;
        public int References;
        public Entry? Next;
    }

    private sealed class Stripe
    {
        public Entry? Live;
        public Entry? Pool;
        public int Pooled;
    }
}
