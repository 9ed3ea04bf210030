using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>
/// The keys and the one token per algorithm that every contender validates. The tokens are written by the bare floor's writer
/// (neutral bytes: <c>{"alg","kid","typ":"at+jwt"}</c> and iss, aud, sub, name, iat, nbf, exp, jti), so no library validates its own output.
/// </summary>
public static class JwtBenchKeys
{
    public const string Issuer = "https://issuer.bench.test";
    public const string Audience = "https://api.bench.test";
    public const string HsKid = "bench-hs256";
    public const string RsKid = "bench-rs256";
    public const string EsKid = "bench-es256";

    public static ReadOnlySpan<byte> IssuerUtf8 => "https://issuer.bench.test"u8;

    public static ReadOnlySpan<byte> AudienceUtf8 => "https://api.bench.test"u8;

    /// <summary>A fixed 256-bit secret (benchmarks only).</summary>
    public static readonly byte[] Secret = SHA256.HashData("authkit-benchmark-hs256-secret"u8);

    public static readonly RSA Rsa = RSA.Create(2048);

    public static readonly ECDsa ECDsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string Hs256Token(long now) => JwtBareFloor.CreateHs256(Secret, HsKid, "user-42", now, "bench-jti-1");

    public static string Rs256Token(long now) => Resign(Hs256Token(now), RsKid, "RS256", input => Rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Es256Token(long now) => Resign(Hs256Token(now), EsKid, "ES256", input => ECDsa.SignData(input, HashAlgorithmName.SHA256));

    private static string Resign(string token, string kid, string alg, Func<byte[], byte[]> sign)
    {
        var header = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}"));
        var input = header + "." + token.Split('.')[1];
        return input + "." + System.Buffers.Text.Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static SymmetricSecurityKey HsSecurityKey { get; } = new(Secret) { KeyId = HsKid };

    public static RsaSecurityKey RsSecurityKey { get; } = new(Rsa) { KeyId = RsKid };

    public static ECDsaSecurityKey EsSecurityKey { get; } = new(ECDsa) { KeyId = EsKid };

    /// <summary>What the Microsoft handlers check: the same as AuthKit (issuer, audience, lifetime, signature, algorithm, type), 30 s skew.</summary>
    public static TokenValidationParameters Parameters(SecurityKey key, string algorithm) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [algorithm],
        ValidTypes = ["at+jwt"],
        ClockSkew = TimeSpan.FromSeconds(30),
        RequireExpirationTime = true,
        RequireSignedTokens = true,
    };
}
