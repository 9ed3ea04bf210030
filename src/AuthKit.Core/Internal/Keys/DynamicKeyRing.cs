using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Internal.Keys;

/// <summary>
/// A key ring whose keys change while the app runs (configuration reload, managed rotation): every member reads the ring
/// current at the call, and <see cref="ForPurpose"/> hands out views that follow it, so a consumer may keep the view forever.
/// </summary>
internal abstract class DynamicKeyRing : IAuthKitKeyRing
{
    private readonly ConcurrentDictionary<string, PurposeKeyRing> _purposes = new(StringComparer.Ordinal);

    /// <summary>The ring in force now.</summary>
    public abstract IAuthKitKeyRing Current { get; }

    public AuthKitKey ActiveKey => Current.ActiveKey;

    public IReadOnlyList<AuthKitKey> Keys => Current.Keys;

    public bool TryGetKey(string keyId, [NotNullWhen(true)] out AuthKitKey? key) => Current.TryGetKey(keyId, out key);

    public IAuthKitKeyRing ForPurpose(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return _purposes.GetOrAdd(purpose, static (p, ring) => new PurposeKeyRing(ring, p), this);
    }
}
