using System.Security.Cryptography;
using System.Text;

namespace AuthKit;

/// <summary>One HMAC-SHA256 key of the key ring. The secret never leaves the object.</summary>
public sealed class AuthKitKey
{
    /// <summary>The smallest secret accepted, in bytes.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>The size of a MAC, in bytes.</summary>
    public const int MacLength = HMACSHA256.HashSizeInBytes;

    private readonly byte[] _secret;

    // A keyed HMAC per thread: the one-shot HashData sets the key up on every call, which costs more than hashing a short value.
    private readonly ThreadLocal<IncrementalHash> _mac;

    /// <summary>Creates a key from its key ID and secret.</summary>
    public AuthKitKey(string keyId, ReadOnlySpan<byte> secret)
    {
        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException("A key ID is 1 to 64 letters, digits, '.', '_' or '-'.", nameof(keyId));
        }

        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"A key secret is at least {MinimumSecretLength} bytes.", nameof(secret));
        }

        KeyId = keyId;
        _secret = secret.ToArray();
        _mac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret));
    }

    /// <summary>The key ID, written beside signatures so a verifier picks the right key.</summary>
    public string KeyId { get; }

    /// <summary>Computes HMAC-SHA256 of <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    public void ComputeMac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < MacLength)
        {
            throw new ArgumentException($"The destination must hold {MacLength} bytes.", nameof(destination));
        }

        var mac = _mac.Value!;
        mac.AppendData(data);
        mac.GetHashAndReset(destination);
    }

    /// <summary>Computes HMAC-SHA256 of <paramref name="data"/>.</summary>
    public byte[] ComputeMac(ReadOnlySpan<byte> data)
    {
        var result = new byte[MacLength];
        ComputeMac(data, result);
        return result;
    }

    /// <summary>Checks a MAC in constant time.</summary>
    public bool VerifyMac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != MacLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    /// <summary>Derives a key for one purpose (HKDF-SHA256), so a MAC made for one use never verifies for another.</summary>
    public AuthKitKey Derive(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, 32, salt: [], info: Encoding.UTF8.GetBytes("AuthKit:" + purpose));
        return new AuthKitKey(KeyId, derived);
    }

    /// <summary>Whether <paramref name="keyId"/> is a valid key ID: 1 to 64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>.</summary>
    public static bool IsValidKeyId(string? keyId)
    {
        if (string.IsNullOrEmpty(keyId) || keyId.Length > 64)
        {
            return false;
        }

        foreach (var c in keyId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"AuthKitKey({KeyId})";
}
