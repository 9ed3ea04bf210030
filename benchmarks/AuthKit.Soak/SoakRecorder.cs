using System.Diagnostics;

namespace AuthKit.Soak;

/// <summary>Every request of a run: kind, status (0 = no answer), latency, instance, and when it was sent.</summary>
internal sealed class SoakRecorder(long origin)
{
    private readonly object _gate = new();
    private readonly List<SoakRequest> _requests = new(capacity: 1 << 16);
    private int _signedOutElsewhere;

    public int SignedOutElsewhereCount => Volatile.Read(ref _signedOutElsewhere);

    public void Record(string kind, int status, long started, long ended, string? instance)
    {
        var request = new SoakRequest(kind, status, Stopwatch.GetElapsedTime(origin, started), Stopwatch.GetElapsedTime(started, ended), instance);
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public void SignedOutElsewhere() => Interlocked.Increment(ref _signedOutElsewhere);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    public List<SoakRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }
}

/// <summary>One request: what it was, its status (0: no answer), when it was sent (from the start of the run), how long it took, and the instance that answered.</summary>
public sealed record SoakRequest(string Kind, int Status, TimeSpan SentAt, TimeSpan Latency, string? Instance);
