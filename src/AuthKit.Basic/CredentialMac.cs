using System.Security.Cryptography;

namespace AuthKit.Basic;

/// <summary>
/// HMAC-SHA256 of credentials under a key derived from the key ring for <see cref="BasicAuthenticationDefaults.CredentialCachePurpose"/>.
/// One keyed HMAC per thread is reused: the one-shot <c>HMACSHA256.HashData</c> sets a key up on every call, which costs more than
/// the rest of a cached request.
/// </summary>
internal sealed class CredentialMac
{
    // The cache key is HMAC(K, user ":" password) with K = HMAC(purpose key, label): still a MAC under a key-ring-derived secret.
    private static ReadOnlySpan<byte> Label => "AuthKit.Basic.CredentialCache/v1"u8;

    private readonly byte[] _key;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public CredentialMac(IAuthKitKeyRing purposeKeys)
    {
        ArgumentNullException.ThrowIfNull(purposeKeys);
        _key = purposeKeys.ActiveKey.ComputeMac(Label);
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    public void Compute(ReadOnlySpan<byte> credentials, Span<byte> destination)
    {
        var hmac = _hmac.Value!;
        hmac.AppendData(credentials);
        hmac.GetHashAndReset(destination);
    }
}
