using System.Buffers.Binary;

namespace AuthKit.Internal.Throttling;

/// <summary>
/// The bytes of throttle state inside a <see cref="SessionRecord"/> of kind <see cref="SessionRecordKind.CredentialThrottle"/>
/// (the record format adds the checksum). Version byte first; unreadable bytes read as "no state", which only forgets counts.
/// </summary>
internal static class ThrottleStateFormat
{
    public const string DataKey = "t";
    private const byte Version = 1;
    private const int MaxItems = 20_000;

    public static byte[] Write(ThrottleCounter counter)
    {
        var buffer = new byte[1 + CounterSize(counter)];
        buffer[0] = Version;
        WriteCounter(counter, buffer.AsSpan(1));
        return buffer;
    }

    public static byte[] Write(ThrottleUserState user)
    {
        var size = 1 + CounterSize(user.Name) + 4;
        foreach (var known in user.Known)
        {
            size += ThrottleClient.Size + 8 + CounterSize(known.Counter);
        }

        var buffer = new byte[size];
        buffer[0] = Version;
        var span = buffer.AsSpan(1);
        span = span[WriteCounter(user.Name, span)..];
        BinaryPrimitives.WriteInt32LittleEndian(span, user.Known.Count);
        span = span[4..];
        foreach (var known in user.Known)
        {
            known.Client.WriteTo(span);
            BinaryPrimitives.WriteInt64LittleEndian(span[ThrottleClient.Size..], known.LastSuccess);
            span = span[(ThrottleClient.Size + 8)..];
            span = span[WriteCounter(known.Counter, span)..];
        }

        return buffer;
    }

    public static ThrottleCounter ReadCounter(SessionRecord? record)
    {
        var counter = new ThrottleCounter();
        if (Payload(record) is { } bytes && !TryReadCounter(ref bytes, counter))
        {
            return new ThrottleCounter();
        }

        return counter;
    }

    public static ThrottleUserState ReadUser(SessionRecord? record)
    {
        var user = new ThrottleUserState();
        if (Payload(record) is not { } bytes)
        {
            return user;
        }

        if (!TryReadCounter(ref bytes, user.Name) || bytes.Length < 4)
        {
            return new ThrottleUserState();
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span);
        bytes = bytes[4..];
        if (count is < 0 or > MaxItems)
        {
            return new ThrottleUserState();
        }

        for (var i = 0; i < count; i++)
        {
            if (bytes.Length < ThrottleClient.Size + 8)
            {
                return new ThrottleUserState();
            }

            var known = new KnownClient(ThrottleClient.Read(bytes.Span), BinaryPrimitives.ReadInt64LittleEndian(bytes.Span[ThrottleClient.Size..]));
            bytes = bytes[(ThrottleClient.Size + 8)..];
            if (!TryReadCounter(ref bytes, known.Counter))
            {
                return new ThrottleUserState();
            }

            user.Known.Add(known);
        }

        return user;
    }

    private static ReadOnlyMemory<byte>? Payload(SessionRecord? record)
    {
        if (record is null || record.Kind != SessionRecordKind.CredentialThrottle || !record.Data.TryGetValue(DataKey, out var data)
            || AsMemory(data) is not { Length: > 0 } payload || payload.Span[0] != Version)
        {
            return null;
        }

        return payload[1..];
    }

    // Whatever the record's payload type (byte arrays or read-only memory), the same call reads it.
    private static ReadOnlyMemory<byte> AsMemory(byte[] data) => data;

    private static ReadOnlyMemory<byte> AsMemory(ReadOnlyMemory<byte> data) => data;

    private static int CounterSize(ThrottleCounter counter) => 8 + (counter.Failures.Count * 8) + (counter.Leases.Count * 16);

    private static int WriteCounter(ThrottleCounter counter, Span<byte> span)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, counter.Failures.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], counter.Leases.Count);
        var at = 8;
        foreach (var failure in counter.Failures)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], failure);
            at += 8;
        }

        foreach (var lease in counter.Leases)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], lease.Id);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], lease.ExpiresAt);
            at += 16;
        }

        return at;
    }

    private static bool TryReadCounter(ref ReadOnlyMemory<byte> bytes, ThrottleCounter counter)
    {
        var span = bytes.Span;
        if (span.Length < 8)
        {
            return false;
        }

        var failures = BinaryPrimitives.ReadInt32LittleEndian(span);
        var leases = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (failures is < 0 or > MaxItems || leases is < 0 or > MaxItems || span.Length < 8 + (failures * 8) + (leases * 16))
        {
            return false;
        }

        var at = 8;
        for (var i = 0; i < failures; i++, at += 8)
        {
            counter.Failures.Add(BinaryPrimitives.ReadInt64LittleEndian(span[at..]));
        }

        for (var i = 0; i < leases; i++, at += 16)
        {
            counter.Leases.Add(new ThrottleLeaseEntry(BinaryPrimitives.ReadInt64LittleEndian(span[at..]), BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..])));
        }

        counter.Failures.Sort();
        bytes = bytes[at..];
        return true;
    }
}
