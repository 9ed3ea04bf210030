namespace AuthKit.Jwt;

/// <summary>
/// One key as configured (<c>AuthKit:Jwt:Keys:0:KeyId</c>, <c>:Algorithm</c>, and one of <c>:Secret</c>, <c>:Pem</c>, <c>:PemFile</c>, <c>:Jwk</c>).
/// </summary>
/// <remarks>Keep secrets and private keys out of source control: environment variables, user secrets or a vault.</remarks>
public sealed class JwtKeyOptions
{
    /// <summary>The key ID, written as the token header's <c>kid</c>. Optional for a <see cref="Jwk"/> that carries its own.</summary>
    public string? KeyId { get; set; }

    /// <summary>The algorithm the key is bound to (<c>HS256</c>, <c>RS256</c>, <c>PS256</c>, <c>ES256</c>, …). Optional for a <see cref="Jwk"/> that carries its own <c>alg</c>.</summary>
    public string? Algorithm { get; set; }

    /// <summary>An HMAC secret, base64 (standard or URL alphabet); at least the hash size once decoded (32 bytes for HS256).</summary>
    public string? Secret { get; set; }

    /// <summary>A PEM text: private key (signs and verifies), public key or certificate (verifies only).</summary>
    public string? Pem { get; set; }

    /// <summary>The path of a PEM file, read at start-up.</summary>
    public string? PemFile { get; set; }

    /// <summary>A JSON Web Key (RFC 7517) as JSON text.</summary>
    public string? Jwk { get; set; }

    /// <summary>Whether the key is retired: it still validates tokens it signed earlier, but never signs and cannot be the active key.</summary>
    /// <remarks>Remove a retired key once the longest-lived token it signed has expired (the access-token lifetime plus clock skew).</remarks>
    public bool Retired { get; set; }
}
