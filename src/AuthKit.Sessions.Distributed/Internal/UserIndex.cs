using System.Buffers.Binary;

namespace AuthKit.Sessions.Distributed.Internal;

/// <summary>
/// The per-user index value: a format byte, then one entry per session (the 32-byte <see cref="SessionKey"/> and the
/// record's absolute expiry in UTC ticks). Entries past their absolute expiry are dropped whenever the index is rewritten.
/// </summary>
internal static class UserIndex
{
    public const byte FormatVersion = 1;

    /// <summary>Beyond this many sessions of one user, the entries expiring first are dropped (they still expire in the cache).</summary>
    public const int MaxEntries = 1024;

    private const int EntrySize = SessionKey.Length + sizeof(long);

    public static List<Entry> Read(byte[]? bytes)
    {
        var entries = new List<Entry>();
        if (bytes is null || bytes.Length == 0 || bytes[0] != FormatVersion || (bytes.Length - 1) % EntrySize != 0)
        {
            return entries;
        }

        for (var offset = 1; offset < bytes.Length; offset += EntrySize)
        {
            var span = bytes.AsSpan(offset, EntrySize);
            var ticks = BinaryPrimitives.ReadInt64BigEndian(span[SessionKey.Length..]);
            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                continue;
            }

            entries.Add(new Entry(SessionKey.FromBytes(span[..SessionKey.Length]), new DateTimeOffset(ticks, TimeSpan.Zero)));
        }

        return entries;
    }

    public static byte[] Write(List<Entry> entries)
    {
        if (entries.Count > MaxEntries)
        {
            entries.Sort((a, b) => b.AbsoluteExpiresAt.CompareTo(a.AbsoluteExpiresAt));
            entries.RemoveRange(MaxEntries, entries.Count - MaxEntries);
        }

        var bytes = new byte[1 + entries.Count * EntrySize];
        bytes[0] = FormatVersion;
        var offset = 1;
        foreach (var entry in entries)
        {
            entry.Key.CopyTo(bytes.AsSpan(offset));
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset + SessionKey.Length), entry.AbsoluteExpiresAt.UtcTicks);
            offset += EntrySize;
        }

        return bytes;
    }

    internal readonly record struct Entry(SessionKey Key, DateTimeOffset AbsoluteExpiresAt);
}
