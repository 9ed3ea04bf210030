namespace AuthKit.Internal.Keys;

/// <summary>A managed key read from the store, its material decrypted.</summary>
internal sealed class ManagedKey(string id, string algorithm, byte[] material, DateTimeOffset createdAt, DateTimeOffset activatesAt, DateTimeOffset? deletesAt)
{
    public string Id { get; } = id;

    public string Algorithm { get; } = algorithm;

    /// <summary>The HMAC secret, or the PKCS#8 private key of an asymmetric key.</summary>
    public byte[] Material { get; } = material;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset ActivatesAt { get; } = activatesAt;

    public DateTimeOffset? DeletesAt { get; } = deletesAt;
}
