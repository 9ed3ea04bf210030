using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Claims;
using System.Text;
using AuthKit.Internal;
using Microsoft.AspNetCore.Authentication;

namespace AuthKit;

/// <summary>
/// The versioned binary format of a <see cref="SessionRecord"/>, shared by every store that keeps bytes.
/// </summary>
/// <remarks>
/// The first byte is the format version, so a record written by one version of AuthKit is read, or cleanly rejected, by the next.
/// This build writes version 2 (version 1 plus <see cref="SessionRecord.Metadata"/>) and reads versions 1 and 2.
/// The principal is written with the framework's <see cref="TicketSerializer"/>. The last 8 bytes are a checksum
/// (truncated SHA-256) of everything before them, checked before any parsing, so a torn write or a flipped bit is
/// rejected instead of reaching the ticket reader. Readers never throw on bad input: corrupt, truncated or
/// unknown-version bytes read as "no record".
/// </remarks>
public static class SessionRecordSerializer
{
    /// <summary>The format version this build writes (2); it also reads every earlier version (1).</summary>
    /// <remarks>
    /// A property, not a constant, so a store compiled against this version asks the AuthKit it runs with: a record whose first
    /// byte is greater than this was written by a newer AuthKit.
    /// </remarks>
    public static byte FormatVersion => CurrentVersion;

    private const byte CurrentVersion = 2;
    private const byte FirstVersion = 1;
    private const int MaxDataEntries = 4096;
    private const int MaxMetadataEntries = 256;
    private const int ChecksumLength = 8;
    private const byte HasPrincipal = 1;
    private const byte HasUserId = 2;
    private const byte HasScheme = 4;

    /// <summary>Writes a record in the current format.</summary>
    public static byte[] Serialize(SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new MemoryStream(256);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            Span<byte> key = stackalloc byte[SessionKey.Length];
            record.Key.CopyTo(key);
            writer.Write(key);
            writer.Write((byte)record.Kind);
            writer.Write(record.Version);
            writer.Write(record.CreatedAt.UtcTicks);
            writer.Write(record.LastSeenAt.UtcTicks);
            writer.Write(record.IdleExpiresAt.UtcTicks);
            writer.Write(record.AbsoluteExpiresAt.UtcTicks);

            byte flags = 0;
            flags |= record.Principal is not null ? HasPrincipal : (byte)0;
            flags |= record.UserId is not null ? HasUserId : (byte)0;
            flags |= record.AuthenticationScheme is not null ? HasScheme : (byte)0;
            writer.Write(flags);
            if (record.UserId is not null)
            {
                writer.Write(record.UserId);
            }

            if (record.AuthenticationScheme is not null)
            {
                writer.Write(record.AuthenticationScheme);
            }

            if (record.Principal is not null)
            {
                TicketSerializer.Default.Write(writer, new AuthenticationTicket(record.Principal, record.AuthenticationScheme ?? string.Empty));
            }

            writer.Write7BitEncodedInt(record.Data.Count);
            foreach (var (name, value) in record.Data)
            {
                writer.Write(name);
                writer.Write7BitEncodedInt(value.Length);
                writer.Write(value.Span);
            }

            writer.Write7BitEncodedInt(record.Metadata.Count);
            foreach (var (name, value) in record.Metadata)
            {
                writer.Write(name);
                writer.Write(value);
            }
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length), digest);
        stream.Write(digest[..ChecksumLength]);
        return stream.ToArray();
    }

    /// <summary>Reads a record; <see langword="false"/> for corrupt, truncated or unknown-version bytes.</summary>
    public static bool TryDeserialize(ReadOnlyMemory<byte> data, [NotNullWhen(true)] out SessionRecord? record)
    {
        record = null;
        if (data.IsEmpty || data.Span[0] is < FirstVersion or > CurrentVersion)
        {
            return false;
        }

        if (data.Length <= ChecksumLength + 1)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var body = data[..^ChecksumLength];
        SHA256.HashData(body.Span, digest);
        if (!digest[..ChecksumLength].SequenceEqual(data.Span[^ChecksumLength..]))
        {
            return false;
        }

        var segment = MemoryMarshal.TryGetArray(body, out var s) ? s : new ArraySegment<byte>(body.ToArray());
        try
        {
            using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var format = reader.ReadByte();
            var key = SessionKey.FromBytes(reader.ReadBytes(SessionKey.Length));
            var kind = (SessionRecordKind)reader.ReadByte();
            if (!Enum.IsDefined(kind))
            {
                return false;
            }

            var version = reader.ReadInt64();
            var created = ReadTime(reader);
            var lastSeen = ReadTime(reader);
            var idle = ReadTime(reader);
            var absolute = ReadTime(reader);
            var flags = reader.ReadByte();
            if ((flags & ~(HasPrincipal | HasUserId | HasScheme)) != 0)
            {
                return false;
            }

            var userId = (flags & HasUserId) != 0 ? reader.ReadString() : null;
            var scheme = (flags & HasScheme) != 0 ? reader.ReadString() : null;
            ClaimsPrincipal? principal = null;
            if ((flags & HasPrincipal) != 0)
            {
                var ticket = BoundedTicketSerializer.Default.Read(reader);
                if (ticket is null)
                {
                    return false;
                }

                principal = ticket.Principal;
            }

            var count = reader.Read7BitEncodedInt();
            if (count < 0 || count > MaxDataEntries)
            {
                return false;
            }

            if (!TryReadMap(reader, stream, count, s_readDataEntry, out var bag))
            {
                return false;
            }

            var metadata = FrozenMap<string>.Empty;
            if (format >= 2)
            {
                var entries = reader.Read7BitEncodedInt();
                if (entries < 0 || entries > MaxMetadataEntries || !TryReadMap(reader, stream, entries, s_readMetadataEntry, out metadata))
                {
                    return false;
                }
            }

            if (stream.Position != stream.Length)
            {
                return false;
            }

            record = new SessionRecord
            {
                Key = key,
                Kind = kind,
                Version = version,
                CreatedAt = created,
                LastSeenAt = lastSeen,
                IdleExpiresAt = idle,
                AbsoluteExpiresAt = absolute,
                UserId = userId,
                AuthenticationScheme = scheme,
                Principal = principal,
                Data = bag,
                Metadata = metadata,
            };
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidOperationException or OverflowException or DecoderFallbackException or OutOfMemoryException)
        {
            return false;
        }
    }

    private static DateTimeOffset ReadTime(BinaryReader reader)
    {
        var ticks = reader.ReadInt64();
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException("Time out of range.");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private delegate bool EntryReader<TValue>(BinaryReader reader, Stream stream, out string key, out TValue value);

    private static readonly EntryReader<ReadOnlyMemory<byte>> s_readDataEntry = static (BinaryReader reader, Stream stream, out string key, out ReadOnlyMemory<byte> value) =>
    {
        key = reader.ReadString();
        var length = reader.Read7BitEncodedInt();
        if (length < 0 || length > stream.Length - stream.Position)
        {
            value = default;
            return false;
        }

        value = reader.ReadBytes(length);
        return true;
    };

    private static readonly EntryReader<string> s_readMetadataEntry = static (BinaryReader reader, Stream stream, out string key, out string value) =>
    {
        key = reader.ReadString();
        value = reader.ReadString();
        return true;
    };

    /// <summary>
    /// Reads <paramref name="count"/> entries into a map, refusing a repeated key: the usual few entries as the map's small array
    /// (repeats found by a linear scan), more into a dictionary (no quadratic scan of a corrupted record's thousands of entries).
    /// </summary>
    private static bool TryReadMap<TValue>(BinaryReader reader, Stream stream, int count, EntryReader<TValue> readEntry, out FrozenMap<TValue> map)
    {
        map = FrozenMap<TValue>.Empty;
        if (count == 0)
        {
            return true;
        }

        if (count <= FrozenMap<TValue>.SmallLimit)
        {
            var small = new KeyValuePair<string, TValue>[count];
            for (var i = 0; i < count; i++)
            {
                if (!readEntry(reader, stream, out var key, out var value))
                {
                    return false;
                }

                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(small[j].Key, key, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                small[i] = new(key, value);
            }

            map = FrozenMap<TValue>.Own(small);
            return true;
        }

        var items = new Dictionary<string, TValue>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (!readEntry(reader, stream, out var key, out var value) || !items.TryAdd(key, value))
            {
                return false;
            }
        }

        map = FrozenMap<TValue>.Own(items);
        return true;
    }
}
