using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AuthKit.Internal.Throttling;

/// <summary>
/// The throttle's identity of a client: an IPv4 address, the /64 prefix of an IPv6 address (one host usually holds a whole /64),
/// or "no address" (all such requests share one budget: a missing address is never trusted as local).
/// </summary>
internal readonly record struct ThrottleClient(byte Family, ulong High, ulong Low)
{
    public const byte None = 0;
    public const byte IPv4 = 4;
    public const byte IPv6Prefix = 6;

    public static ThrottleClient From(IPAddress? address)
    {
        if (address is null)
        {
            return new ThrottleClient(None, 0, 0);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            return new ThrottleClient(IPv4, 0, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.TryWriteBytes(bytes, out _))
        {
            return new ThrottleClient(IPv6Prefix, BinaryPrimitives.ReadUInt64BigEndian(bytes), 0);
        }

        return new ThrottleClient(None, 0, 0);
    }

    /// <summary>The 17 bytes of the identity (family, then 16 bytes), for store keys and the state format.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Family;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], Low);
    }

    public static ThrottleClient Read(ReadOnlySpan<byte> source) =>
        new(source[0], BinaryPrimitives.ReadUInt64BigEndian(source[1..]), BinaryPrimitives.ReadUInt64BigEndian(source[9..]));

    public const int Size = 17;

    /// <summary>For logs: the address or prefix, never more than the client already shows every server it talks to.</summary>
    public override string ToString()
    {
        switch (Family)
        {
            case IPv4:
                Span<byte> v4 = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Low);
                return new IPAddress(v4).ToString();
            case IPv6Prefix:
                Span<byte> v6 = stackalloc byte[16];
                BinaryPrimitives.WriteUInt64BigEndian(v6, High);
                return new IPAddress(v6).ToString() + "/64";
            default:
                return "(no address)";
        }
    }
}
