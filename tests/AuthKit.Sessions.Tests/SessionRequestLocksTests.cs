using AuthKit.Sessions.Internal;

namespace AuthKit.Sessions.Tests;

/// <summary>The per-session request locks behind <see cref="SessionAuthenticationOptions.SerializeRequests"/>.</summary>
public sealed class SessionRequestLocksTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void An_uncontended_session_lock_costs_no_allocation()
    {
        var locks = new SessionRequestLocks();
        var key = NewKey();
        AcquireAndRelease(locks, key);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            AcquireAndRelease(locks, key);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_session_s_next_request_waits_until_the_lock_is_released_and_the_table_then_empties()
    {
        var locks = new SessionRequestLocks();
        var key = NewKey();
        var first = await locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None);
        Assert.NotNull(first);

        var second = locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal(1, locks.Count);

        locks.Release(first);
        var held = await second.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.NotNull(held);
        locks.Release(held);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Sessions_that_share_a_stripe_never_wait_for_each_other()
    {
        var locks = new SessionRequestLocks();
        var (a, b) = TwoKeysInOneStripe();
        var heldA = await locks.AcquireAsync(a, CancellationToken.None, CancellationToken.None);
        Assert.NotNull(heldA);

        // B's lock is free although A's, in the same stripe, is held: it is taken at once.
        var acquireB = locks.AcquireAsync(b, CancellationToken.None, CancellationToken.None);
        Assert.True(acquireB.IsCompletedSuccessfully);
        var heldB = await acquireB;
        Assert.NotNull(heldB);
        Assert.NotSame(heldA, heldB);
        Assert.Equal(2, locks.Count);

        // Released out of order, each leaves its stripe's list intact for the other.
        locks.Release(heldA);
        Assert.Equal(1, locks.Count);
        var again = locks.AcquireAsync(b, CancellationToken.None, CancellationToken.None).AsTask();
        Assert.False(again.IsCompleted);
        locks.Release(heldB);
        var heldAgain = await again.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.NotNull(heldAgain);
        locks.Release(heldAgain);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_waiter_that_times_out_gets_no_lock_and_leaves_the_session_usable()
    {
        var locks = new SessionRequestLocks();
        var key = NewKey();
        var held = await locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None);
        Assert.NotNull(held);

        using var timeout = new CancellationTokenSource();
        var waiting = locks.AcquireAsync(key, timeout.Token, CancellationToken.None).AsTask();
        await timeout.CancelAsync();
        Assert.Null(await waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(1, locks.Count);

        locks.Release(held);
        Assert.Equal(0, locks.Count);
        var next = await locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None);
        Assert.NotNull(next);
        locks.Release(next);
    }

    [Fact]
    public async Task A_waiter_whose_client_went_away_throws_and_leaves_the_session_usable()
    {
        var locks = new SessionRequestLocks();
        var key = NewKey();
        var held = await locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None);
        Assert.NotNull(held);

        using var aborted = new CancellationTokenSource();
        var waiting = locks.AcquireAsync(key, CancellationToken.None, aborted.Token).AsTask();
        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));

        locks.Release(held);
        Assert.Equal(0, locks.Count);
    }

    private static void AcquireAndRelease(SessionRequestLocks locks, SessionKey key)
    {
        // Completed synchronously (asserted), so reading the result does not block.
        var acquire = locks.AcquireAsync(key, CancellationToken.None, CancellationToken.None);
        Assert.True(acquire.IsCompletedSuccessfully);
        locks.Release(acquire.GetAwaiter().GetResult()!);
    }

    private static SessionKey NewKey() => SessionKey.FromSessionId(SessionIds.Create());

    private static (SessionKey A, SessionKey B) TwoKeysInOneStripe()
    {
        // Pigeonhole: among StripeCount + 1 keys, two share a stripe.
        var seen = new Dictionary<int, SessionKey>();
        for (var i = 0; i <= SessionRequestLocks.StripeCount; i++)
        {
            var key = NewKey();
            if (seen.TryGetValue(SessionRequestLocks.StripeIndex(key), out var other))
            {
                return (other, key);
            }

            seen.Add(SessionRequestLocks.StripeIndex(key), key);
        }

        throw new InvalidOperationException("Unreachable: more keys than stripes.");
    }
}
