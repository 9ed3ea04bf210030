using System.Diagnostics.CodeAnalysis;

namespace AuthKit;

/// <summary>The HMAC keys of the application: one active key signs, older keys still verify until removed.</summary>
public interface IAuthKitKeyRing
{
    /// <summary>The key that signs new values.</summary>
    AuthKitKey ActiveKey { get; }

    /// <summary>Every key, active first.</summary>
    IReadOnlyList<AuthKitKey> Keys { get; }

    /// <summary>Finds a key by ID.</summary>
    bool TryGetKey(string keyId, [NotNullWhen(true)] out AuthKitKey? key);

    /// <summary>The same ring with every key derived for <paramref name="purpose"/> (cached; cheap to call).</summary>
    IAuthKitKeyRing ForPurpose(string purpose);
}
