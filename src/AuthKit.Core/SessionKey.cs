using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AuthKit;

/// <summary>
/// The key a store files a record under: the SHA-256 digest of the client's secret ID, and the ID's slot tag.
/// </summary>
/// <remarks>
/// <para>A dump of the store (a Redis snapshot, the session directory) holds only keys, and a key cannot be turned back
/// into the ID a client must present, so it cannot be replayed as a cookie or a refresh token.</para>
/// <para>An ID issued for a signed-in user ends with <c>.</c> and the user's <see cref="SlotTag"/>
/// (<see cref="SessionStoreKeys.SlotTag"/>): four hexadecimal characters derived from the user ID, not a secret. A store
/// partitioned by hash (Redis Cluster) files every record of a user, and the user's index, in the partition that tag
/// names, so "sign out everywhere" stays one atomic step. Other IDs take their tag from their digest. The digest covers
/// the whole ID, tag included, so a client that changes the tag only names a record that does not exist. Two keys are
/// equal when their digests are: the tag is where the record lives, not what it is.</para>
/// </remarks>
public readonly struct SessionKey : IEquatable<SessionKey>
{
    /// <summary>The length of a key in bytes.</summary>
    public const int Length = 32;

    // The length of SlotTag in characters.
    internal const int SlotTagLength = 4;

    private const int Tagged = 0x10000;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    // 0: no tag in the ID (the tag comes from the digest); otherwise Tagged | the 16-bit tag.
    private readonly int _tag;

    private SessionKey(ReadOnlySpan<byte> digest, int tag)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(digest);
        _b = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(digest[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(digest[24..]);
        _tag = tag;
    }

    /// <summary>Whether this is the default (all-zero) value, which no real ID produces.</summary>
    public bool IsEmpty => (_a | _b | _c | _d) == 0;

    /// <summary>
    /// Four lowercase hexadecimal characters that say where a partitioned store files the record: the tag the ID carries
    /// (the user's, <see cref="SessionStoreKeys.SlotTag"/>, for IDs issued at sign-in), otherwise the first two bytes of
    /// the digest.
    /// </summary>
    public string SlotTag => FormatTag(_tag != 0 ? _tag & 0xFFFF : (int)(_a >> 48));

    /// <summary>Whether the ID carried its own slot tag (an ID issued for a user), rather than taking it from the digest.</summary>
    internal bool HasSlotTag => _tag != 0;

    /// <summary>Derives the key of a secret ID (a session ID or a refresh token).</summary>
    public static SessionKey FromSessionId(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return FromSessionId(sessionId.AsSpan());
    }

    /// <summary>Derives the key of a secret ID (a session ID or a refresh token), and its slot tag if the ID ends with one.</summary>
    public static SessionKey FromSessionId(ReadOnlySpan<char> sessionId)
    {
        var tag = 0;
        if (sessionId.Length > SlotTagLength + 1 && sessionId[^(SlotTagLength + 1)] == '.' && TryParseTag(sessionId[^SlotTagLength..], out var parsed))
        {
            tag = Tagged | parsed;
        }

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

        return new SessionKey(digest, tag);
    }

    /// <summary>Rebuilds a key from its 32 bytes (its <see cref="SlotTag"/> then comes from the digest).</summary>
    public static SessionKey FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != Length)
        {
            throw new ArgumentException($"A session key is {Length} bytes.", nameof(digest));
        }

        return new SessionKey(digest, 0);
    }

    /// <summary>
    /// Parses the form written by <see cref="ToString"/>: 64 hexadecimal characters, followed by <c>.</c> and the
    /// <see cref="SlotTag"/> when the ID carried one.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out SessionKey key)
    {
        key = default;
        if (text is null || (text.Length != Length * 2 && text.Length != Length * 2 + 1 + SlotTagLength))
        {
            return false;
        }

        var tag = 0;
        if (text.Length > Length * 2)
        {
            if (text[Length * 2] != '.' || !TryParseTag(text.AsSpan(Length * 2 + 1), out var parsed))
            {
                return false;
            }

            tag = Tagged | parsed;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(text.AsSpan(0, Length * 2), bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        key = new SessionKey(bytes, tag);
        return true;
    }

    /// <summary>Writes the 32 bytes of the key (the digest; the slot tag is not part of them).</summary>
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

    /// <summary>
    /// The key's non-secret text form (the session handle that may be shown or logged): the digest as 64 lowercase
    /// hexadecimal characters, followed by <c>.</c> and the <see cref="SlotTag"/> when the ID carried one. Safe for file
    /// names and cache keys; <see cref="TryParse"/> reads it back.
    /// </summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        if (_tag == 0)
        {
            return Convert.ToHexStringLower(bytes);
        }

        Span<char> text = stackalloc char[Length * 2 + 1 + SlotTagLength];
        Convert.TryToHexStringLower(bytes, text, out _);
        text[Length * 2] = '.';
        WriteTag(_tag & 0xFFFF, text[(Length * 2 + 1)..]);
        return new string(text);
    }

    /// <summary>The digest alone as 64 lowercase hexadecimal characters (what stores that ignore the slot tag name files after).</summary>
    internal string DigestHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The same digest with the slot tag <paramref name="slotTag"/> (as read back from a store that keeps it beside the record).</summary>
    internal SessionKey WithSlotTag(string slotTag)
        => TryParseTag(slotTag, out var tag) ? new SessionKey(this, Tagged | tag) : this;

    private SessionKey(SessionKey digest, int tag)
    {
        _a = digest._a;
        _b = digest._b;
        _c = digest._c;
        _d = digest._d;
        _tag = tag;
    }

    /// <summary>Whether <paramref name="text"/> is a slot tag: four lowercase hexadecimal characters.</summary>
    internal static bool TryParseTag(ReadOnlySpan<char> text, out int tag)
    {
        tag = 0;
        if (text.Length != SlotTagLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            int nibble = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            tag = (tag << 4) | nibble;
        }

        return true;
    }

    internal static string FormatTag(int tag)
    {
        Span<char> text = stackalloc char[SlotTagLength];
        WriteTag(tag, text);
        return new string(text);
    }

    private static void WriteTag(int tag, Span<char> destination)
    {
        const string Hex = "0123456789abcdef";
        destination[0] = Hex[(tag >> 12) & 0xF];
        destination[1] = Hex[(tag >> 8) & 0xF];
        destination[2] = Hex[(tag >> 4) & 0xF];
        destination[3] = Hex[tag & 0xF];
    }

    /// <inheritdoc />
    /// <remarks>Compares the digests; the slot tag is where a record lives, not which record it is.</remarks>
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
