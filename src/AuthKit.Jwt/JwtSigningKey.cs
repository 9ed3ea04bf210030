using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AuthKit.Jwt.Internal;

namespace AuthKit.Jwt;

/// <summary>
/// One JWS key bound to one algorithm and one key ID (the <c>kid</c> header). Immutable.
/// </summary>
/// <remarks>
/// <para>The key, never the token header, decides the algorithm (RFC 8725 §3.1): a token whose <c>alg</c> is not the key's
/// algorithm is refused. To use the same key material with two algorithms, create two keys with different key IDs.</para>
/// <para>An <see cref="RSA"/> or <see cref="ECDsa"/> instance handed to <see cref="FromRsa"/> or <see cref="FromECDsa"/> is kept
/// (not copied, so keys held in hardware keep working): do not dispose it while the key is in use.</para>
/// </remarks>
public sealed class JwtSigningKey
{
    private const int MinimumRsaKeySize = 2048;

    private readonly byte[]? _secret;
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly ThreadLocal<IncrementalHash>? _hmac;

    private JwtSigningKey(string keyId, JwtAlgorithm algorithm, byte[]? secret, RSA? rsa, ECDsa? ecdsa, bool canSign)
    {
        KeyId = keyId;
        Alg = algorithm;
        KeyIdUtf8 = Encoding.UTF8.GetBytes(keyId);
        _secret = secret;
        _rsa = rsa;
        _ecdsa = ecdsa;
        CanSign = canSign;
        if (secret is not null)
        {
            // A keyed HMAC reused per thread: the one-shot HashData pays the key set-up on every call.
            _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(algorithm.Hash, secret), trackAllValues: false);
        }
    }

    /// <summary>The key ID, written as the <c>kid</c> header of the tokens it signs.</summary>
    public string KeyId { get; }

    /// <summary>The one algorithm this key signs and verifies with (a <see cref="JwtAlgorithms"/> name).</summary>
    public string Algorithm => Alg.Name;

    /// <summary>Whether the key holds private (or secret) material and can sign.</summary>
    public bool CanSign { get; }

    /// <summary>Whether this is an HMAC (shared secret) key, never published in the JWKS.</summary>
    public bool IsSymmetric => _secret is not null;

    internal JwtAlgorithm Alg { get; }

    internal byte[] KeyIdUtf8 { get; }

    /// <summary>Creates an HMAC key (<c>HS256</c>, <c>HS384</c> or <c>HS512</c>) from a shared secret.</summary>
    /// <param name="keyId">The key ID.</param>
    /// <param name="algorithm">The HMAC algorithm.</param>
    /// <param name="secret">The secret; at least the hash size (32, 48 or 64 bytes). It is copied.</param>
    /// <exception cref="ArgumentException">The algorithm is not HMAC, or the secret is too short.</exception>
    /// <remarks>Keep the secret out of source control. Anyone holding it can mint tokens.</remarks>
    public static JwtSigningKey FromSecret(string keyId, string algorithm, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        CheckKeyId(keyId);
        var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
        if (alg.Family != JwtKeyFamily.Hmac)
        {
            throw new ArgumentException($"{alg.Name} is not an HMAC algorithm: use FromRsa, FromECDsa, FromPem or FromJwk.", nameof(algorithm));
        }

        if (secret.Length < alg.HashSize)
        {
            throw new ArgumentException($"An {alg.Name} secret must be at least {alg.HashSize} bytes (RFC 7518 §3.2); this one is {secret.Length}.", nameof(secret));
        }

        return new JwtSigningKey(keyId, alg, (byte[])secret.Clone(), null, null, canSign: true);
    }

    /// <summary>Creates an RSA key (<c>RS256/384/512</c> or <c>PS256/384/512</c>), private (signs and verifies) or public (verifies).</summary>
    /// <exception cref="ArgumentException">The algorithm is not RSA, or the key is smaller than 2048 bits.</exception>
    public static JwtSigningKey FromRsa(string keyId, string algorithm, RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        CheckKeyId(keyId);
        var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
        if (alg.Family is not (JwtKeyFamily.Rsa or JwtKeyFamily.RsaPss))
        {
            throw new ArgumentException($"{alg.Name} does not use an RSA key.", nameof(algorithm));
        }

        if (rsa.KeySize < MinimumRsaKeySize)
        {
            throw new ArgumentException($"An RSA key must be at least {MinimumRsaKeySize} bits (RFC 7518 §3.3); this one is {rsa.KeySize}.", nameof(rsa));
        }

        return new JwtSigningKey(keyId, alg, null, rsa, null, HasPrivateKey(rsa));
    }

    /// <summary>Creates an ECDSA key (<c>ES256</c> on P-256, <c>ES384</c> on P-384, <c>ES512</c> on P-521), private or public.</summary>
    /// <exception cref="ArgumentException">The algorithm is not ECDSA, or the curve is not the algorithm's.</exception>
    public static JwtSigningKey FromECDsa(string keyId, string algorithm, ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        CheckKeyId(keyId);
        var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
        if (alg.Family != JwtKeyFamily.Ecdsa)
        {
            throw new ArgumentException($"{alg.Name} does not use an ECDSA key.", nameof(algorithm));
        }

        ECParameters p;
        try
        {
            p = ecdsa.ExportParameters(false);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("The ECDSA key's public parameters cannot be read.", nameof(ecdsa), ex);
        }

        if (!p.Curve.IsNamed || !string.Equals(CurveOid(p.Curve), alg.CurveOid, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{alg.Name} needs a key on {alg.CurveName}; this key is on {p.Curve.Oid?.FriendlyName ?? p.Curve.Oid?.Value ?? "an unnamed curve"}.", nameof(ecdsa));
        }

        return new JwtSigningKey(keyId, alg, null, null, ecdsa, HasPrivateKey(ecdsa));
    }

    /// <summary>Creates a key from a PEM text: a private key (PKCS#8, PKCS#1 or SEC1), a public key (SPKI or PKCS#1) or a certificate (public key only).</summary>
    /// <exception cref="ArgumentException">The PEM holds no key usable with <paramref name="algorithm"/>, or the algorithm is HMAC.</exception>
    /// <remarks>Encrypted private keys are not read: decrypt them first, or load them in code and use <see cref="FromRsa"/>/<see cref="FromECDsa"/>.</remarks>
    public static JwtSigningKey FromPem(string keyId, string algorithm, string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        CheckKeyId(keyId);
        var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
        var isCertificate = pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        try
        {
            switch (alg.Family)
            {
                case JwtKeyFamily.Rsa or JwtKeyFamily.RsaPss:
                    {
                        RSA rsa;
                        if (isCertificate)
                        {
                            using var cert = X509Certificate2.CreateFromPem(pem);
                            rsa = cert.GetRSAPublicKey() ?? throw new ArgumentException("The certificate does not hold an RSA key.", nameof(pem));
                        }
                        else
                        {
                            rsa = RSA.Create();
                            rsa.ImportFromPem(pem);
                        }

                        return FromRsa(keyId, algorithm, rsa);
                    }

                case JwtKeyFamily.Ecdsa:
                    {
                        ECDsa ecdsa;
                        if (isCertificate)
                        {
                            using var cert = X509Certificate2.CreateFromPem(pem);
                            ecdsa = cert.GetECDsaPublicKey() ?? throw new ArgumentException("The certificate does not hold an ECDSA key.", nameof(pem));
                        }
                        else
                        {
                            ecdsa = ECDsa.Create();
                            ecdsa.ImportFromPem(pem);
                        }

                        return FromECDsa(keyId, algorithm, ecdsa);
                    }

                default:
                    throw new ArgumentException($"{alg.Name} is an HMAC algorithm: give a secret (FromSecret, or JwtKeyOptions.Secret), not a PEM.", nameof(algorithm));
            }
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"The PEM text holds no {(alg.Family == JwtKeyFamily.Ecdsa ? "ECDSA" : "RSA")} key that can be read (encrypted keys are not supported): {ex.Message}", nameof(pem), ex);
        }
    }

    /// <summary>Creates a key from a JSON Web Key (RFC 7517): <c>oct</c>, <c>RSA</c> or <c>EC</c>, private or public. The JWK must carry <c>kid</c> and <c>alg</c>.</summary>
    /// <exception cref="ArgumentException">The JWK is not valid JSON, lacks <c>kid</c> or <c>alg</c>, or does not match its algorithm.</exception>
    public static JwtSigningKey FromJwk(string jwkJson) => FromJwk(jwkJson, keyId: null, algorithm: null);

    /// <summary>Creates a key from a JSON Web Key, with the key ID and algorithm given when the JWK has none (a JWK's own <c>kid</c>/<c>alg</c> must agree with them).</summary>
    /// <exception cref="ArgumentException">The JWK is not valid JSON, has no key ID or algorithm, or does not match its algorithm.</exception>
    public static JwtSigningKey FromJwk(string jwkJson, string? keyId, string? algorithm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jwkJson);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(jwkJson, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The JWK is not valid JSON.", nameof(jwkJson), ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("A JWK is a JSON object.", nameof(jwkJson));
            }

            var jwkKid = GetString(root, "kid");
            var jwkAlg = GetString(root, "alg");
            if (keyId is not null && jwkKid is not null && !string.Equals(keyId, jwkKid, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The JWK's kid '{jwkKid}' differs from the configured key ID '{keyId}'.", nameof(jwkJson));
            }

            if (algorithm is not null && jwkAlg is not null && !string.Equals(algorithm, jwkAlg, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The JWK's alg '{jwkAlg}' differs from the configured '{algorithm}'.", nameof(jwkJson));
            }

            keyId ??= jwkKid ?? throw new ArgumentException("The JWK has no 'kid'.", nameof(jwkJson));
            algorithm ??= jwkAlg ?? throw new ArgumentException("The JWK has no 'alg': the key decides the algorithm, so it must be named.", nameof(jwkJson));
            var use = GetString(root, "use");
            if (use is not null && use != "sig")
            {
                throw new ArgumentException($"The JWK's use is '{use}', not 'sig'.", nameof(jwkJson));
            }

            var kty = GetString(root, "kty");
            var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
            try
            {
                switch (kty)
                {
                    case "oct" when alg.Family == JwtKeyFamily.Hmac:
                        return FromSecret(keyId, algorithm, GetBytes(root, "k", required: true)!);
                    case "RSA" when alg.Family is JwtKeyFamily.Rsa or JwtKeyFamily.RsaPss:
                        {
                            var p = new RSAParameters
                            {
                                Modulus = GetBytes(root, "n", required: true),
                                Exponent = GetBytes(root, "e", required: true),
                                D = GetBytes(root, "d", required: false),
                                P = GetBytes(root, "p", required: false),
                                Q = GetBytes(root, "q", required: false),
                                DP = GetBytes(root, "dp", required: false),
                                DQ = GetBytes(root, "dq", required: false),
                                InverseQ = GetBytes(root, "qi", required: false),
                            };
                            if (p.D is not null && (p.P is null || p.Q is null || p.DP is null || p.DQ is null || p.InverseQ is null))
                            {
                                throw new ArgumentException("An RSA private JWK needs p, q, dp, dq and qi as well as d.", nameof(jwkJson));
                            }

                            var rsa = RSA.Create();
                            rsa.ImportParameters(p);
                            return FromRsa(keyId, algorithm, rsa);
                        }

                    case "EC" when alg.Family == JwtKeyFamily.Ecdsa:
                        {
                            var crv = GetString(root, "crv");
                            if (!string.Equals(crv, alg.CurveName, StringComparison.Ordinal))
                            {
                                throw new ArgumentException($"{alg.Name} needs crv '{alg.CurveName}'; the JWK has '{crv}'.", nameof(jwkJson));
                            }

                            var p = new ECParameters
                            {
                                Curve = ECCurve.CreateFromValue(alg.CurveOid!),
                                Q = new ECPoint { X = GetBytes(root, "x", required: true), Y = GetBytes(root, "y", required: true) },
                                D = GetBytes(root, "d", required: false),
                            };
                            var ecdsa = ECDsa.Create();
                            ecdsa.ImportParameters(p);
                            return FromECDsa(keyId, algorithm, ecdsa);
                        }

                    default:
                        throw new ArgumentException($"A JWK of kty '{kty}' cannot be used with {alg.Name}.", nameof(jwkJson));
                }
            }
            catch (CryptographicException ex)
            {
                throw new ArgumentException($"The JWK's key parameters are not valid: {ex.Message}", nameof(jwkJson), ex);
            }
        }
    }

    /// <summary>Generates a new random key: a secret of the hash size for HMAC, RSA-2048 for RS/PS, the algorithm's curve for ES.</summary>
    public static JwtSigningKey Generate(string keyId, string algorithm)
    {
        var alg = JwtAlgorithm.Parse(algorithm, nameof(algorithm));
        return alg.Family switch
        {
            JwtKeyFamily.Hmac => FromSecret(keyId, algorithm, RandomNumberGenerator.GetBytes(alg.HashSize)),
            JwtKeyFamily.Ecdsa => FromECDsa(keyId, algorithm, ECDsa.Create(ECCurve.CreateFromValue(alg.CurveOid!))),
            _ => FromRsa(keyId, algorithm, RSA.Create(MinimumRsaKeySize)),
        };
    }

    /// <summary>The public key as a JWK JSON object (<c>kty</c>, <c>kid</c>, <c>alg</c>, <c>use: "sig"</c> and the public parameters); <see langword="null"/> for an HMAC key, which is never published.</summary>
    public string? ToPublicJwk()
    {
        if (_secret is not null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WritePublicJwk(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The private (or secret) key as a JWK JSON object, for persisting a generated key. Handle it as a secret.</summary>
    internal string ToPrivateJwk()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (_secret is not null)
            {
                writer.WriteString("kty", "oct");
                writer.WriteString("kid", KeyId);
                writer.WriteString("alg", Algorithm);
                writer.WriteString("k", Base64Url.EncodeToString(_secret));
            }
            else if (_ecdsa is not null)
            {
                var p = _ecdsa.ExportParameters(true);
                writer.WriteString("kty", "EC");
                writer.WriteString("kid", KeyId);
                writer.WriteString("alg", Algorithm);
                writer.WriteString("crv", Alg.CurveName);
                writer.WriteString("x", Base64Url.EncodeToString(p.Q.X));
                writer.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
                writer.WriteString("d", Base64Url.EncodeToString(p.D));
            }
            else
            {
                var p = _rsa!.ExportParameters(true);
                writer.WriteString("kty", "RSA");
                writer.WriteString("kid", KeyId);
                writer.WriteString("alg", Algorithm);
                writer.WriteString("n", Base64Url.EncodeToString(p.Modulus));
                writer.WriteString("e", Base64Url.EncodeToString(p.Exponent));
                writer.WriteString("d", Base64Url.EncodeToString(p.D));
                writer.WriteString("p", Base64Url.EncodeToString(p.P));
                writer.WriteString("q", Base64Url.EncodeToString(p.Q));
                writer.WriteString("dp", Base64Url.EncodeToString(p.DP));
                writer.WriteString("dq", Base64Url.EncodeToString(p.DQ));
                writer.WriteString("qi", Base64Url.EncodeToString(p.InverseQ));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    public override string ToString() => $"{KeyId} ({Algorithm}{(CanSign ? ", signs" : ", verifies only")})";

    internal void WritePublicJwk(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            writer.WriteString("kty", "RSA");
            writer.WriteString("kid", KeyId);
            writer.WriteString("alg", Algorithm);
            writer.WriteString("use", "sig");
            writer.WriteString("n", Base64Url.EncodeToString(p.Modulus));
            writer.WriteString("e", Base64Url.EncodeToString(p.Exponent));
        }
        else
        {
            var p = _ecdsa!.ExportParameters(false);
            writer.WriteString("kty", "EC");
            writer.WriteString("kid", KeyId);
            writer.WriteString("alg", Algorithm);
            writer.WriteString("use", "sig");
            writer.WriteString("crv", Alg.CurveName);
            writer.WriteString("x", Base64Url.EncodeToString(p.Q.X));
            writer.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
        }

        writer.WriteEndObject();
    }

    /// <summary>The largest signature this key produces, in bytes.</summary>
    internal int SignatureSize => Alg.Family switch
    {
        JwtKeyFamily.Hmac => Alg.HashSize,
        JwtKeyFamily.Ecdsa => Alg.EcSignatureSize,
        _ => (_rsa!.KeySize + 7) / 8,
    };

    /// <summary>Signs <paramref name="data"/>; returns the number of bytes written to <paramref name="signature"/> (at least <see cref="SignatureSize"/> long).</summary>
    internal int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        switch (Alg.Family)
        {
            case JwtKeyFamily.Hmac:
                {
                    var h = _hmac!.Value!;
                    h.AppendData(data);
                    return h.GetHashAndReset(signature);
                }

            case JwtKeyFamily.Ecdsa:
                return _ecdsa!.SignData(data, signature, Alg.Hash);
            case JwtKeyFamily.Rsa:
                return _rsa!.SignData(data, signature, Alg.Hash, RSASignaturePadding.Pkcs1);
            default:
                return _rsa!.SignData(data, signature, Alg.Hash, RSASignaturePadding.Pss);
        }
    }

    /// <summary>Checks a signature; false (never an exception) for a wrong one.</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (Alg.Family)
        {
            case JwtKeyFamily.Hmac:
                {
                    if (signature.Length != Alg.HashSize)
                    {
                        return false;
                    }

                    Span<byte> mac = stackalloc byte[64];
                    var h = _hmac!.Value!;
                    h.AppendData(data);
                    var n = h.GetHashAndReset(mac);
                    return CryptographicOperations.FixedTimeEquals(mac[..n], signature);
                }

            case JwtKeyFamily.Ecdsa:
                return signature.Length == Alg.EcSignatureSize && _ecdsa!.VerifyData(data, signature, Alg.Hash);
            case JwtKeyFamily.Rsa:
                return signature.Length == SignatureSize && _rsa!.VerifyData(data, signature, Alg.Hash, RSASignaturePadding.Pkcs1);
            default:
                return signature.Length == SignatureSize && _rsa!.VerifyData(data, signature, Alg.Hash, RSASignaturePadding.Pss);
        }
    }

    private static void CheckKeyId(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (keyId.Length > 256)
        {
            throw new ArgumentException("A key ID is at most 256 characters.", nameof(keyId));
        }

        foreach (var c in keyId)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("A key ID holds no control characters.", nameof(keyId));
            }
        }
    }

    private static string? CurveOid(ECCurve curve)
    {
        var oid = curve.Oid;
        if (oid is null)
        {
            return null;
        }

        if (oid.Value is { Length: > 0 } value)
        {
            return value;
        }

        return oid.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1" => JwtAlgorithm.ES256.CurveOid,
            "nistP384" or "ECDSA_P384" or "secp384r1" => JwtAlgorithm.ES384.CurveOid,
            "nistP521" or "ECDSA_P521" or "secp521r1" => JwtAlgorithm.ES512.CurveOid,
            _ => null,
        };
    }

    private static bool HasPrivateKey(RSA rsa)
    {
        try
        {
            return rsa.ExportParameters(true).D is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool HasPrivateKey(ECDsa ecdsa)
    {
        try
        {
            return ecdsa.ExportParameters(true).D is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? GetBytes(JsonElement root, string name, bool required)
    {
        var s = GetString(root, name);
        if (s is null)
        {
            return required ? throw new ArgumentException($"The JWK has no '{name}'.", "jwkJson") : null;
        }

        try
        {
            return Base64Url.DecodeFromChars(s);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"The JWK's '{name}' is not base64url.", "jwkJson", ex);
        }
    }
}
