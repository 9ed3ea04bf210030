namespace AuthKit;

/// <summary>Options of <see cref="MemorySessionStore"/>.</summary>
public sealed class MemorySessionStoreOptions
{
    private int _maxRecords = 100_000;
    private TimeSpan _sweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>The most records held at once (100,000 by default). At the cap, new records are refused with <see cref="SessionStoreFullException"/>; reads keep working.</summary>
    public int MaxRecords
    {
        get => _maxRecords;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxRecords = value;
        }
    }

    /// <summary>How often expired records are swept (1 minute by default; at least 1 second).</summary>
    public TimeSpan SweepInterval
    {
        get => _sweepInterval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            _sweepInterval = value;
        }
    }
}
