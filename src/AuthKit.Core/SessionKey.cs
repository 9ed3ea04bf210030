using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AuthKit;

/// <summary>
/// The key a store files a record under: the SHA-256 digest of the client's secret ID.
/// </summary>
/// <remarks>
/// A dump of the store (a Redis snapshot, the session directory) holds only keys, and a key cannot be turned back
/// into the ID a client must present, so it cannot be replayed as a cookie or a refresh token.
/// </remarks>
public readonly struct SessionKey : IEquatable<SessionKey>
{
    /// <summary>The length of a key in bytes.</summary>
    public const int Length = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private SessionKey(ReadOnlySpan<byte> digest)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(digest);
        _b = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(digest[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(digest[24..]);
    }

    /// <summary>Whether this is the default (all-zero) value, which no real ID produces.</summary>
    public bool IsEmpty => (_a | _b | _c | _d) == 0;

    /// <summary>Derives the key of a secret ID (a session ID or a refresh token).</summary>
    public static SessionKey FromSessionId(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return FromSessionId(sessionId.AsSpan());
    }

    /// <summary>Derives the key of a secret ID (a session ID or a refresh token).</summary>
    public static SessionKey FromSessionId(ReadOnlySpan<char> sessionId)
    {
        Span<byte> digest = stackalloc byte[Length];
        var max = Encoding.UTF8.GetMaxByteCount(sessionId.Length);
        if (max <= 256)
        {
            Span<byte> utf8 = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(sessionId, utf8);
            SHA256.HashData(utf8[..n], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(sessionId.ToArray()), digest);
        }

        return new SessionKey(digest);
    }

    /// <summary>Rebuilds a key from its 32 bytes.</summary>
    public static SessionKey FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != Length)
        {
            throw new ArgumentException($"A session key is {Length} bytes.", nameof(digest));
        }

        return new SessionKey(digest);
    }

    /// <summary>Parses the 64-character hexadecimal form written by <see cref="ToString"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SessionKey key)
    {
        key = default;
        if (text is null || text.Length != Length * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        key = new SessionKey(bytes);
        return true;
    }

    /// <summary>Writes the 32 bytes of the key.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination must hold {Length} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes of the key.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The key as 64 lowercase hexadecimal characters, safe for file names and cache keys.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc />
    public bool Equals(SessionKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SessionKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Compares two keys.</summary>
    public static bool operator ==(SessionKey left, SessionKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    public static bool operator !=(SessionKey left, SessionKey right) => !left.Equals(right);
}
