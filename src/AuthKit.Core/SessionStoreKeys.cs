using System.Security.Cryptography;
using System.Text;

namespace AuthKit;

/// <summary>Names that stores derive from data, the same way in every store.</summary>
public static class SessionStoreKeys
{
    /// <summary>
    /// The lowercase hexadecimal SHA-256 of a user ID's UTF-8 bytes: a per-user index name that is safe in file names and
    /// cache keys and does not show the user ID (an e-mail address, say) to whoever lists the store.
    /// </summary>
    public static string UserDigest(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var max = Encoding.UTF8.GetMaxByteCount(userId.Length);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (max <= 512)
        {
            Span<byte> utf8 = stackalloc byte[max];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(userId, utf8)], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(userId), digest);
        }

        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// The slot tag of a user's records (<see cref="SessionKey.SlotTag"/>): the first four hexadecimal characters of
    /// <see cref="UserDigest"/>. An ID issued for the user carries it, so a store partitioned by hash (Redis Cluster)
    /// keeps the user's records and the user's index together. Not a secret: 16 bits of a hash of the user ID.
    /// </summary>
    public static string SlotTag(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var max = Encoding.UTF8.GetMaxByteCount(userId.Length);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (max <= 512)
        {
            Span<byte> utf8 = stackalloc byte[max];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(userId, utf8)], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(userId), digest);
        }

        return SessionKey.FormatTag((digest[0] << 8) | digest[1]);
    }
}
