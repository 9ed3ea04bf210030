using System.Security.Cryptography;
using Jose;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Jwt.Tests.Interop;

/// <summary>The family of a JWS algorithm, which decides the key type.</summary>
internal enum KeyFamily
{
    Hmac,
    Rsa,
    RsaPss,
    Ecdsa,
}

/// <summary>
/// One key per JWS algorithm, made once per test run and handed to every library in the same form it expects:
/// raw bytes / <see cref="RSA"/> / <see cref="ECDsa"/> for AuthKit and jose-jwt, a <see cref="SecurityKey"/> for Microsoft.IdentityModel.
/// </summary>
internal sealed class PeerKey
{
    private PeerKey(string algorithm, KeyFamily family, byte[]? secret, RSA? rsa, ECDsa? ecdsa)
    {
        Algorithm = algorithm;
        Family = family;
        Secret = secret;
        Rsa = rsa;
        ECDsa = ecdsa;
        KeyId = "interop-" + algorithm.ToLowerInvariant();
    }

    public string Algorithm { get; }

    public KeyFamily Family { get; }

    public string KeyId { get; }

    public byte[]? Secret { get; }

    public RSA? Rsa { get; }

    public ECDsa? ECDsa { get; }

    /// <summary>The hash size in bits (256, 384, 512).</summary>
    public int HashBits => int.Parse(Algorithm.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);

    public HashAlgorithmName HashName => HashBits switch
    {
        256 => HashAlgorithmName.SHA256,
        384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    /// <summary>The key as Microsoft.IdentityModel wants it, with our <c>kid</c>; public part only unless <paramref name="privateKey"/>.</summary>
    public SecurityKey ToSecurityKey(bool privateKey)
    {
        SecurityKey key = Family switch
        {
            KeyFamily.Hmac => new SymmetricSecurityKey(Secret),
            KeyFamily.Rsa or KeyFamily.RsaPss => new RsaSecurityKey(privateKey ? Rsa! : PublicRsa()),
            _ => new ECDsaSecurityKey(privateKey ? ECDsa! : PublicECDsa()),
        };
        key.KeyId = KeyId;
        return key;
    }

    public SigningCredentials ToSigningCredentials() => new(ToSecurityKey(privateKey: true), Algorithm);

    /// <summary>The key as jose-jwt wants it (<c>byte[]</c>, <see cref="RSA"/> or <see cref="ECDsa"/>).</summary>
    public object ToJoseKey(bool privateKey) => Family switch
    {
        KeyFamily.Hmac => Secret!,
        KeyFamily.Rsa or KeyFamily.RsaPss => privateKey ? Rsa! : PublicRsa(),
        _ => privateKey ? ECDsa! : PublicECDsa(),
    };

    public JwsAlgorithm JoseAlgorithm => Enum.Parse<JwsAlgorithm>(Algorithm);

    public RSA PublicRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(Rsa!.ExportParameters(includePrivateParameters: false));
        return rsa;
    }

    public ECDsa PublicECDsa()
    {
        var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportParameters(ECDsa!.ExportParameters(includePrivateParameters: false));
        return ec;
    }

    /// <summary>Signs a JWS signing input the way RFC 7518 says (raw r‖s for ECDSA).</summary>
    public byte[] Sign(byte[] signingInput) => Family switch
    {
        KeyFamily.Hmac => HashBits switch
        {
            256 => HMACSHA256.HashData(Secret!, signingInput),
            384 => HMACSHA384.HashData(Secret!, signingInput),
            _ => HMACSHA512.HashData(Secret!, signingInput),
        },
        KeyFamily.Rsa => Rsa!.SignData(signingInput, HashName, RSASignaturePadding.Pkcs1),
        KeyFamily.RsaPss => Rsa!.SignData(signingInput, HashName, RSASignaturePadding.Pss),
        _ => ECDsa!.SignData(signingInput, HashName, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
    };

    public static IReadOnlyList<string> Algorithms { get; } =
    [
        "HS256", "HS384", "HS512",
        "RS256", "RS384", "RS512",
        "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512",
    ];

    private static readonly Lazy<RSA> SharedRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<ECDsa> P256 = new(() => System.Security.Cryptography.ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> P384 = new(() => System.Security.Cryptography.ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> P521 = new(() => System.Security.Cryptography.ECDsa.Create(ECCurve.NamedCurves.nistP521));
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PeerKey> Cache = new(StringComparer.Ordinal);

    /// <summary>The key for <paramref name="algorithm"/>: HMAC secrets exactly the hash size (the RFC 7518 minimum), RSA 2048, the curve of the hash.</summary>
    public static PeerKey For(string algorithm) => Cache.GetOrAdd(algorithm, static alg => alg[..2] switch
    {
        "HS" => new PeerKey(alg, KeyFamily.Hmac, RandomNumberGenerator.GetBytes(int.Parse(alg.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture) / 8), null, null),
        "RS" => new PeerKey(alg, KeyFamily.Rsa, null, SharedRsa.Value, null),
        "PS" => new PeerKey(alg, KeyFamily.RsaPss, null, SharedRsa.Value, null),
        "ES" => new PeerKey(alg, KeyFamily.Ecdsa, null, null, alg switch
        {
            "ES256" => P256.Value,
            "ES384" => P384.Value,
            _ => P521.Value,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), alg, "Not a JWS signature algorithm."),
    });

    private static readonly Lazy<RSA> ImpostorRsa = new(() => RSA.Create(2048));
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PeerKey> Impostors = new(StringComparer.Ordinal);

    /// <summary>Another key of the same algorithm under the same <c>kid</c> as <see cref="For"/>: what a forger without the real key has.</summary>
    public static PeerKey Impostor(string algorithm) => Impostors.GetOrAdd(algorithm, static alg => alg[..2] switch
    {
        "HS" => new PeerKey(alg, KeyFamily.Hmac, RandomNumberGenerator.GetBytes(int.Parse(alg.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture) / 8), null, null),
        "RS" => new PeerKey(alg, KeyFamily.Rsa, null, ImpostorRsa.Value, null),
        "PS" => new PeerKey(alg, KeyFamily.RsaPss, null, ImpostorRsa.Value, null),
        _ => new PeerKey(alg, KeyFamily.Ecdsa, null, null, System.Security.Cryptography.ECDsa.Create(For(alg).ECDsa!.ExportParameters(false).Curve)),
    });

    public static TheoryData<string> AllAlgorithms()
    {
        var data = new TheoryData<string>();
        foreach (var alg in Algorithms)
        {
            data.Add(alg);
        }

        return data;
    }
}
