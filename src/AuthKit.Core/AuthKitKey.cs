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

    /// <summary>Creates a key from its ID and secret.</summary>
    public AuthKitKey(string id, ReadOnlySpan<byte> secret)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException("A key ID is 1 to 64 letters, digits, '.', '_' or '-'.", nameof(id));
        }

        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"A key secret is at least {MinimumSecretLength} bytes.", nameof(secret));
        }

        Id = id;
        _secret = secret.ToArray();
        _mac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret));
    }

    /// <summary>The key ID, written beside signatures so a verifier picks the right key.</summary>
    public string Id { get; }

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
        return new AuthKitKey(Id, derived);
    }

    /// <summary>Whether <paramref name="id"/> is a valid key ID.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"AuthKitKey({Id})";
}
