namespace AuthKit.Internal.Keys;

/// <summary>The keys of a <see cref="DynamicKeyRing"/> derived for one purpose, following the ring as it changes.</summary>
internal sealed class PurposeKeyRing(IAuthKitKeyRing parent, string purpose) : DynamicKeyRing
{
    // The parent's current ring caches its derivations per purpose, so this is a dictionary lookup, not an HKDF.
    public override IAuthKitKeyRing Current => parent is DynamicKeyRing dynamic ? dynamic.Current.ForPurpose(purpose) : parent.ForPurpose(purpose);
}
