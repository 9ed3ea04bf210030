namespace AuthKit.Basic.Internal;

/// <summary>
/// HMAC-SHA256 of credentials under a key derived from the key ring for <see cref="BasicPurposes.CredentialCache"/>.
/// <see cref="AuthKitKey"/> reuses one keyed HMAC per thread: the one-shot <c>HMACSHA256.HashData</c> sets a key up on every
/// call, which costs more than the rest of a cached request.
/// </summary>
internal sealed class CredentialMac
{
    // The cache key is HMAC(K, user ":" password) with K = HMAC(purpose key, label): still a MAC under a key-ring-derived secret.
    private static ReadOnlySpan<byte> Label => "AuthKit.Basic.CredentialCache/v1"u8;

    private readonly AuthKitKey _key;

    public CredentialMac(IAuthKitKeyRing purposeKeys)
    {
        ArgumentNullException.ThrowIfNull(purposeKeys);
        _key = new AuthKitKey(purposeKeys.ActiveKey.KeyId, purposeKeys.ActiveKey.ComputeMac(Label));
    }

    public void Compute(ReadOnlySpan<byte> credentials, Span<byte> destination) => _key.ComputeMac(credentials, destination);
}
