using System.Diagnostics.CodeAnalysis;

namespace AuthKit;

/// <summary>The HMAC keys of the application: one active key signs, older keys still verify until removed.</summary>
/// <remarks>
/// <para>Implementations: <see cref="AuthKitKeyRing"/> (from <c>AuthKit:Keys</c> or the key file), or your own (keys from a vault,
/// for example).</para>
/// <para><b>How this interface grows.</b> Apps implement it, so it only gains default interface members whose default is correct for
/// every existing ring, built on the members above. A member that cannot have a correct default goes into a new interface, never into this one.</para>
/// </remarks>
public interface IAuthKitKeyRing
{
    /// <summary>The key that signs new values.</summary>
    AuthKitKey ActiveKey { get; }

    /// <summary>Every key, active first.</summary>
    IReadOnlyList<AuthKitKey> Keys { get; }

    /// <summary>Finds a key by its <see cref="AuthKitKey.KeyId"/>.</summary>
    bool TryGetKey(string keyId, [NotNullWhen(true)] out AuthKitKey? key);

    /// <summary>The same ring with every key derived for <paramref name="purpose"/> (cached; cheap to call).</summary>
    IAuthKitKeyRing ForPurpose(string purpose);
}
