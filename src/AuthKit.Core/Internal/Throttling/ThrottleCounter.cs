namespace AuthKit.Internal.Throttling;

/// <summary>An attempt slot: a random ID (so its owner can release exactly it) and when it lapses if never released.</summary>
internal readonly record struct ThrottleLeaseEntry(long Id, long ExpiresAt);

/// <summary>Recent failures (ascending times, at most the limit's worth) and attempts in flight, for one key.</summary>
internal sealed class ThrottleCounter
{
    public List<long> Failures { get; } = [];

    public List<ThrottleLeaseEntry> Leases { get; } = [];

    public bool IsEmpty => Failures.Count == 0 && Leases.Count == 0;

    /// <summary>Forgets failures that left the window and slots that lapsed.</summary>
    public void Prune(long now, long window)
    {
        var drop = 0;
        while (drop < Failures.Count && Failures[drop] + window <= now)
        {
            drop++;
        }

        if (drop > 0)
        {
            Failures.RemoveRange(0, drop);
        }

        for (var i = Leases.Count - 1; i >= 0; i--)
        {
            if (Leases[i].ExpiresAt <= now)
            {
                Leases.RemoveAt(i);
            }
        }
    }

    /// <summary>Counts a failure at <paramref name="now"/>, keeping only the newest <paramref name="keep"/>.</summary>
    public void AddFailure(long now, int keep)
    {
        var at = Failures.Count;
        while (at > 0 && Failures[at - 1] > now)
        {
            at--;
        }

        Failures.Insert(at, now);
        keep = Math.Max(1, keep);
        if (Failures.Count > keep)
        {
            Failures.RemoveRange(0, Failures.Count - keep);
        }
    }

    public bool RemoveLease(long id)
    {
        for (var i = 0; i < Leases.Count; i++)
        {
            if (Leases[i].Id == id)
            {
                Leases.RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// How long until an attempt fits under <paramref name="limit"/> when <paramref name="pending"/> slots are also taken; zero
    /// when it fits now. A count filled by slots alone clears as soon as one is released: about a second.
    /// </summary>
    public long RetryAfter(int limit, int pending, long now, long window)
    {
        if (limit <= 0)
        {
            return 0;
        }

        var mustExpire = Failures.Count + pending - limit + 1;
        if (mustExpire <= 0)
        {
            return 0;
        }

        if (mustExpire > Failures.Count)
        {
            return TimeSpan.TicksPerSecond;
        }

        return Math.Max(1, Failures[mustExpire - 1] + window - now);
    }

    /// <summary>When nothing in this counter matters any more.</summary>
    public long ExpiresAt(long window)
    {
        var at = Failures.Count > 0 ? Failures[^1] + window : 0;
        foreach (var lease in Leases)
        {
            at = Math.Max(at, lease.ExpiresAt);
        }

        return at;
    }
}
