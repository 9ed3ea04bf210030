namespace AuthKit.Internal.Keys;

/// <summary>The lifecycle timings of one managed ring, fixed when the ring is created.</summary>
internal sealed record ManagedKeyTimings(TimeSpan KeyLifetime, TimeSpan PropagationDelay, TimeSpan RefreshInterval, TimeSpan RetainAfterActive);
