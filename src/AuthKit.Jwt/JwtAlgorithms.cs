namespace AuthKit.Jwt;

/// <summary>The JWS algorithms (RFC 7518) AuthKit signs and verifies with. <c>none</c> is never accepted.</summary>
public static class JwtAlgorithms
{
    /// <summary>HMAC with SHA-256; the secret is at least 32 bytes.</summary>
    public const string HS256 = "HS256";

    /// <summary>HMAC with SHA-384; the secret is at least 48 bytes.</summary>
    public const string HS384 = "HS384";

    /// <summary>HMAC with SHA-512; the secret is at least 64 bytes.</summary>
    public const string HS512 = "HS512";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RSA key of at least 2048 bits).</summary>
    public const string RS256 = "RS256";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384 (RSA key of at least 2048 bits).</summary>
    public const string RS384 = "RS384";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-512 (RSA key of at least 2048 bits).</summary>
    public const string RS512 = "RS512";

    /// <summary>RSASSA-PSS with SHA-256 and MGF1 (RSA key of at least 2048 bits).</summary>
    public const string PS256 = "PS256";

    /// <summary>RSASSA-PSS with SHA-384 and MGF1 (RSA key of at least 2048 bits).</summary>
    public const string PS384 = "PS384";

    /// <summary>RSASSA-PSS with SHA-512 and MGF1 (RSA key of at least 2048 bits).</summary>
    public const string PS512 = "PS512";

    /// <summary>ECDSA on P-256 with SHA-256.</summary>
    public const string ES256 = "ES256";

    /// <summary>ECDSA on P-384 with SHA-384.</summary>
    public const string ES384 = "ES384";

    /// <summary>ECDSA on P-521 with SHA-512.</summary>
    public const string ES512 = "ES512";

    /// <summary>Whether <paramref name="algorithm"/> is one of the algorithms above (case-sensitive, as RFC 7515 requires).</summary>
    public static bool IsSupported(string? algorithm) => Internal.JwtAlgorithm.TryParse(algorithm, out _);
}
