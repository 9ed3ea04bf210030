using System.Runtime.InteropServices;

namespace AuthKit.Basic;

/// <summary>An HMAC-SHA256 of <c>user ":" password</c>, held as four words so lookups allocate nothing.</summary>
internal readonly struct CredentialCacheKey : IEquatable<CredentialCacheKey>
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public CredentialCacheKey(ReadOnlySpan<byte> mac)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(mac[..32]);
        (_a, _b, _c, _d) = (words[0], words[1], words[2], words[3]);
    }

    public bool Equals(CredentialCacheKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is CredentialCacheKey other && Equals(other);

    // The words are HMAC output: already uniformly distributed.
    public override int GetHashCode() => (int)_a;

    public void CopyTo(Span<byte> destination) => MemoryMarshal.AsBytes([_a, _b, _c, _d]).CopyTo(destination);
}
