namespace AuthKit;

/// <summary>Options of <see cref="MemorySessionStore"/>, bound from <c>AuthKit:MemoryStore</c>.</summary>
/// <remarks>Checked at start-up (and by the store's constructor): a bad value stops the host with a message naming the setting.</remarks>
public sealed class MemorySessionStoreOptions
{
    /// <summary>The most records held at once (100,000 by default; at least 1). At the cap, new records are refused with <see cref="SessionStoreFullException"/>; reads keep working.</summary>
    public int MaxRecords { get; set; } = 100_000;

    /// <summary>How often expired records are swept (1 minute by default; at least 1 second).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
