using System.Runtime.InteropServices;

namespace AuthKit.Basic;

/// <summary>
/// The key of a verified credential: HMAC-SHA256, under a key derived from the application's key ring, of the exact
/// <c>user ":" password</c> bytes the client sent. Held as four words, so lookups allocate nothing.
/// </summary>
/// <remarks>It reveals nothing about the password without the key ring, and is safe to use as a key in a shared cache.</remarks>
public readonly struct BasicCredentialCacheKey : IEquatable<BasicCredentialCacheKey>
{
    /// <summary>The length of the key in bytes.</summary>
    public const int Length = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>Creates a key from its 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="mac"/> is not 32 bytes.</exception>
    public BasicCredentialCacheKey(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != Length)
        {
            throw new ArgumentException($"A credential cache key is {Length} bytes.", nameof(mac));
        }

        var words = MemoryMarshal.Cast<byte, ulong>(mac);
        (_a, _b, _c, _d) = (words[0], words[1], words[2], words[3]);
    }

    /// <summary>Writes the 32 bytes of the key.</summary>
    public void CopyTo(Span<byte> destination) => MemoryMarshal.AsBytes<ulong>([_a, _b, _c, _d]).CopyTo(destination);

    /// <summary>The key as 64 lowercase hexadecimal characters (for a shared cache's keys).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc />
    public bool Equals(BasicCredentialCacheKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BasicCredentialCacheKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_a; // HMAC output: already uniformly distributed.

    /// <summary>Compares two keys.</summary>
    public static bool operator ==(BasicCredentialCacheKey left, BasicCredentialCacheKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    public static bool operator !=(BasicCredentialCacheKey left, BasicCredentialCacheKey right) => !left.Equals(right);
}
