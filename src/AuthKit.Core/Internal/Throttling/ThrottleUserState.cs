namespace AuthKit.Internal.Throttling;

/// <summary>A client a user has signed in from, with the (user, client) pair's own counter.</summary>
internal sealed class KnownClient(ThrottleClient client, long lastSuccess)
{
    public ThrottleClient Client { get; } = client;

    public long LastSuccess { get; set; } = lastSuccess;

    public ThrottleCounter Counter { get; } = new();
}

/// <summary>
/// Everything the throttle knows about one user name: the failures of every client and the attempts in flight from strangers
/// (<see cref="Name"/>), and the user's known clients, each with its own counter.
/// </summary>
internal sealed class ThrottleUserState
{
    public ThrottleCounter Name { get; } = new();

    public List<KnownClient> Known { get; } = [];

    public bool IsEmpty => Name.IsEmpty && Known.Count == 0;

    public void Prune(long now, in ThrottleLimits limits)
    {
        Name.Prune(now, limits.Window);
        for (var i = Known.Count - 1; i >= 0; i--)
        {
            var known = Known[i];
            known.Counter.Prune(now, limits.Window);
            if (known.LastSuccess + limits.KnownClientLifetime <= now && known.Counter.IsEmpty)
            {
                Known.RemoveAt(i);
            }
        }
    }

    /// <summary>The client's entry while it is still a known client of the user.</summary>
    public KnownClient? FindKnown(ThrottleClient client, long now, in ThrottleLimits limits)
    {
        foreach (var known in Known)
        {
            if (known.Client == client)
            {
                return known.LastSuccess + limits.KnownClientLifetime > now ? known : null;
            }
        }

        return null;
    }

    public bool RemoveLease(long id)
    {
        if (Name.RemoveLease(id))
        {
            return true;
        }

        foreach (var known in Known)
        {
            if (known.Counter.RemoveLease(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A successful sign-in: the client becomes (or stays) known and its pair's failures are forgotten.</summary>
    public void MarkKnown(ThrottleClient client, long now, in ThrottleLimits limits)
    {
        if (limits.KnownClientLifetime <= 0)
        {
            return;
        }

        foreach (var known in Known)
        {
            if (known.Client == client)
            {
                known.LastSuccess = now;
                known.Counter.Failures.Clear();
                return;
            }
        }

        Known.Add(new KnownClient(client, now));
        while (Known.Count > limits.MaxKnownClientsPerUser)
        {
            var oldest = 0;
            for (var i = 1; i < Known.Count; i++)
            {
                if (Known[i].LastSuccess < Known[oldest].LastSuccess)
                {
                    oldest = i;
                }
            }

            Known.RemoveAt(oldest);
        }
    }

    public long ExpiresAt(in ThrottleLimits limits)
    {
        var at = Name.ExpiresAt(limits.Window);
        foreach (var known in Known)
        {
            at = Math.Max(at, Math.Max(known.LastSuccess + limits.KnownClientLifetime, known.Counter.ExpiresAt(limits.Window)));
        }

        return at;
    }
}
