namespace AuthKit.Internal;

/// <summary>Lets one log line through per interval and counts the ones it held back (an outage fails every request).</summary>
internal sealed class LogGate
{
    private long _last;
    private long _suppressed;

    /// <summary>
    /// <see langword="true"/> when a line may be written now (<paramref name="suppressed"/>: how many were held back since
    /// the previous one); otherwise counts this one as held back.
    /// </summary>
    public bool TryPass(DateTimeOffset now, TimeSpan interval, out long suppressed)
    {
        var ticks = now.UtcTicks;
        var last = Interlocked.Read(ref _last);
        if ((last == 0 || ticks - last >= interval.Ticks) && Interlocked.CompareExchange(ref _last, ticks, last) == last)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
