using System.Buffers.Text;
using System.Security.Cryptography;

namespace AuthKit;

/// <summary>Creates the secret IDs clients hold: session IDs and opaque tokens.</summary>
/// <remarks>32 bytes from the operating system's CSPRNG, base64url without padding (43 characters).</remarks>
internal static class SessionIds
{
    /// <summary>The number of random bytes in an ID.</summary>
    public const int ByteLength = 32;

    /// <summary>The number of characters of an ID.</summary>
    public const int CharLength = 43;

    /// <summary>The number of characters of an ID issued for a user: the random part, <c>.</c> and the user's slot tag.</summary>
    public const int TaggedCharLength = CharLength + 1 + SessionKey.SlotTagLength;

    /// <summary>Creates a new random ID.</summary>
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// Creates a new random ID for a record of <paramref name="userId"/> (a session at sign-in, a refresh token): the random
    /// part followed by <c>.</c> and the user's slot tag (<see cref="SessionStoreKeys.SlotTag"/>), so a partitioned store
    /// (Redis Cluster) keeps it beside the user's index. Without a user, the same as <see cref="Create()"/>.
    /// </summary>
    public static string Create(string? userId)
        => userId is null ? Create() : Create() + "." + SessionStoreKeys.SlotTag(userId);

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of an ID this library issues (43 base64url characters, optionally
    /// followed by <c>.</c> and a slot tag of four lowercase hexadecimal characters).
    /// </summary>
    /// <remarks>A cheap filter before any store lookup; it says nothing about whether the ID was ever issued.</remarks>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        if (id.Length == TaggedCharLength)
        {
            if (id[CharLength] != '.' || !SessionKey.TryParseTag(id[(CharLength + 1)..], out _))
            {
                return false;
            }

            id = id[..CharLength];
        }

        if (id.Length != CharLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            var ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
