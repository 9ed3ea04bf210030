namespace AuthKit.Internal.Keys;

/// <summary>
/// A ring the managed key service keeps: <paramref name="Name"/> (<c>cookies</c>, <c>jwt:{scheme}</c>) and the algorithm of its keys,
/// resolved when the app starts (<see langword="null"/>: this ring is not managed, e.g. a JWT scheme with configured keys).
/// </summary>
internal sealed record ManagedKeyRingRegistration(string Name, Func<IServiceProvider, string?> Algorithm, Func<IServiceProvider, TimeSpan>? Retain = null);
