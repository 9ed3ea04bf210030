using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Jwt.Internal;

internal enum JwtKeyFamily : byte
{
    Hmac,
    Rsa,
    RsaPss,
    Ecdsa,
}

/// <summary>What an algorithm name means: key family, hash, sizes. One immutable instance per algorithm.</summary>
internal sealed class JwtAlgorithm
{
    public static readonly JwtAlgorithm HS256 = new(JwtAlgorithms.HS256, JwtKeyFamily.Hmac, HashAlgorithmName.SHA256, 32, 0, null);
    public static readonly JwtAlgorithm HS384 = new(JwtAlgorithms.HS384, JwtKeyFamily.Hmac, HashAlgorithmName.SHA384, 48, 0, null);
    public static readonly JwtAlgorithm HS512 = new(JwtAlgorithms.HS512, JwtKeyFamily.Hmac, HashAlgorithmName.SHA512, 64, 0, null);
    public static readonly JwtAlgorithm RS256 = new(JwtAlgorithms.RS256, JwtKeyFamily.Rsa, HashAlgorithmName.SHA256, 32, 0, null);
    public static readonly JwtAlgorithm RS384 = new(JwtAlgorithms.RS384, JwtKeyFamily.Rsa, HashAlgorithmName.SHA384, 48, 0, null);
    public static readonly JwtAlgorithm RS512 = new(JwtAlgorithms.RS512, JwtKeyFamily.Rsa, HashAlgorithmName.SHA512, 64, 0, null);
    public static readonly JwtAlgorithm PS256 = new(JwtAlgorithms.PS256, JwtKeyFamily.RsaPss, HashAlgorithmName.SHA256, 32, 0, null);
    public static readonly JwtAlgorithm PS384 = new(JwtAlgorithms.PS384, JwtKeyFamily.RsaPss, HashAlgorithmName.SHA384, 48, 0, null);
    public static readonly JwtAlgorithm PS512 = new(JwtAlgorithms.PS512, JwtKeyFamily.RsaPss, HashAlgorithmName.SHA512, 64, 0, null);
    public static readonly JwtAlgorithm ES256 = new(JwtAlgorithms.ES256, JwtKeyFamily.Ecdsa, HashAlgorithmName.SHA256, 32, 64, "1.2.840.10045.3.1.7");
    public static readonly JwtAlgorithm ES384 = new(JwtAlgorithms.ES384, JwtKeyFamily.Ecdsa, HashAlgorithmName.SHA384, 48, 96, "1.3.132.0.34");
    public static readonly JwtAlgorithm ES512 = new(JwtAlgorithms.ES512, JwtKeyFamily.Ecdsa, HashAlgorithmName.SHA512, 64, 132, "1.3.132.0.35");

    public static readonly JwtAlgorithm[] All = [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512];

    private JwtAlgorithm(string name, JwtKeyFamily family, HashAlgorithmName hash, int hashSize, int ecSignatureSize, string? curveOid)
    {
        Name = name;
        Utf8Name = Encoding.ASCII.GetBytes(name);
        Family = family;
        Hash = hash;
        HashSize = hashSize;
        EcSignatureSize = ecSignatureSize;
        CurveOid = curveOid;
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    public JwtKeyFamily Family { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>Hash output size in bytes; also the smallest HMAC secret.</summary>
    public int HashSize { get; }

    /// <summary>The IEEE P1363 signature size of ECDSA (r||s).</summary>
    public int EcSignatureSize { get; }

    public string? CurveOid { get; }

    /// <summary>The JWK <c>crv</c> of an ECDSA algorithm.</summary>
    public string? CurveName => Family == JwtKeyFamily.Ecdsa ? "P-" + (EcSignatureSize == 132 ? 521 : EcSignatureSize * 4) : null;

    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out JwtAlgorithm? algorithm)
    {
        foreach (var a in All)
        {
            if (string.Equals(a.Name, name, StringComparison.Ordinal))
            {
                algorithm = a;
                return true;
            }
        }

        algorithm = null;
        return false;
    }

    public static JwtAlgorithm Parse(string? name, string paramName) =>
        TryParse(name, out var a) ? a : throw new ArgumentException($"'{name}' is not a supported JWS algorithm (HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512).", paramName);

    public override string ToString() => Name;
}
