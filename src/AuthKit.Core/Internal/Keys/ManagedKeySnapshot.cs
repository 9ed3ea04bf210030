namespace AuthKit.Internal.Keys;

/// <summary>The keys of one managed ring as last read: immutable, replaced whole on each change.</summary>
internal sealed class ManagedKeySnapshot(long version, IReadOnlyList<ManagedKey> keys)
{
    /// <summary>Grows by one with every change an instance sees (not the store's version): consumers rebuild when it moves.</summary>
    public long Version { get; } = version;

    /// <summary>Every key that verifies: announced, active and retired ones, newest activation first.</summary>
    public IReadOnlyList<ManagedKey> Keys { get; } = keys;

    /// <summary>The key that signs at <paramref name="now"/>: the last one whose activation has come (the first key if none has).</summary>
    public ManagedKey Active(DateTimeOffset now)
    {
        foreach (var key in Keys)
        {
            if (key.ActivatesAt <= now)
            {
                return key;
            }
        }

        return Keys[^1];
    }
}
