using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace AuthKit;

/// <summary>A fixed set of keys; the default <see cref="IAuthKitKeyRing"/> is built from <see cref="AuthKitOptions"/>.</summary>
public sealed class AuthKitKeyRing : IAuthKitKeyRing
{
    private readonly Dictionary<string, AuthKitKey> _byId;
    private readonly ConcurrentDictionary<string, AuthKitKeyRing> _purposes = new(StringComparer.Ordinal);

    /// <summary>Creates a ring; <paramref name="activeKeyId"/> defaults to the first key.</summary>
    public AuthKitKeyRing(IEnumerable<AuthKitKey> keys, string? activeKeyId = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        }

        _byId = new Dictionary<string, AuthKitKey>(StringComparer.Ordinal);
        foreach (var key in list)
        {
            if (!_byId.TryAdd(key.KeyId, key))
            {
                throw new ArgumentException($"The key ID '{key.KeyId}' appears twice.", nameof(keys));
            }
        }

        activeKeyId ??= list[0].KeyId;
        if (!_byId.TryGetValue(activeKeyId, out var active))
        {
            throw new ArgumentException($"The active key '{activeKeyId}' is not in the ring.", nameof(activeKeyId));
        }

        ActiveKey = active;
        Keys = [active, .. list.Where(k => !ReferenceEquals(k, active))];
    }

    /// <inheritdoc />
    public AuthKitKey ActiveKey { get; }

    /// <inheritdoc />
    public IReadOnlyList<AuthKitKey> Keys { get; }

    /// <inheritdoc />
    public bool TryGetKey(string keyId, [NotNullWhen(true)] out AuthKitKey? key)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _byId.TryGetValue(keyId, out key);
    }

    /// <inheritdoc />
    public IAuthKitKeyRing ForPurpose(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return _purposes.GetOrAdd(purpose, static (p, ring) => new AuthKitKeyRing(ring.Keys.Select(k => k.Derive(p)), ring.ActiveKey.KeyId), this);
    }
}
