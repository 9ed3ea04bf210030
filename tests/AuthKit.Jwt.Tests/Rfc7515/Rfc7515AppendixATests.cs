using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Jwt.Tests.Interop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Jwt.Tests.Rfc7515;

/// <summary>
/// RFC 7515 appendix A.1 (HS256), A.2 (RS256) and A.3 (ES256): the RFC's own compact serializations validate, with the RFC's keys,
/// on a clock set before their 2011 <c>exp</c>; a changed payload byte or a flipped signature bit fails with <see cref="TokenValidationError.BadSignature"/>.
/// </summary>
public sealed class Rfc7515AppendixATests
{
    private const string A1Kid = "rfc7515-a1";
    private const string A2Kid = "rfc7515-a2";
    private const string A3Kid = "rfc7515-a3";

    // One minute before exp, when the RFC's tokens were fresh.
    private static readonly DateTimeOffset BeforeExpiry = DateTimeOffset.FromUnixTimeSeconds(Rfc7515Vectors.Expiry - 60);

    public static TheoryData<string> Examples => new() { "A.1", "A.2", "A.3" };

    [Fact]
    public void Vectors_are_the_rfc_bytes()
    {
        // The copies are checked against the RFC's decoded texts and against the BCL directly, so a typo cannot hide.
        Assert.Equal(Rfc7515Vectors.HeaderA1Json, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Rfc7515Vectors.A1Token.Split('.')[0])));
        Assert.Equal("{\"alg\":\"RS256\"}", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Rfc7515Vectors.A2Token.Split('.')[0])));
        Assert.Equal("{\"alg\":\"ES256\"}", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Rfc7515Vectors.A3Token.Split('.')[0])));
        Assert.Equal(Rfc7515Vectors.PayloadJson, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Rfc7515Vectors.EncodedPayload)));

        var a1 = SigningInput(Rfc7515Vectors.A1Token);
        Assert.Equal(Signature(Rfc7515Vectors.A1Token), HMACSHA256.HashData(Base64Url.DecodeFromChars(Rfc7515Vectors.A1KeyK), a1));

        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(Rfc7515Vectors.A2N), Exponent = Base64Url.DecodeFromChars(Rfc7515Vectors.A2E) });
        Assert.Equal(2048, rsa.KeySize);
        Assert.True(rsa.VerifyData(SigningInput(Rfc7515Vectors.A2Token), Signature(Rfc7515Vectors.A2Token), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        using var ec = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(Rfc7515Vectors.A3X), Y = Base64Url.DecodeFromChars(Rfc7515Vectors.A3Y) },
        });
        Assert.True(ec.VerifyData(SigningInput(Rfc7515Vectors.A3Token), Signature(Rfc7515Vectors.A3Token), HashAlgorithmName.SHA256));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_validates_with_the_rfc_key(string example)
    {
        var (token, _) = Example(example);
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.True(result.Succeeded);
        Assert.Equal("joe", result.Principal.FindFirst("iss")?.Value);
        Assert.Equal("true", result.Principal.FindFirst("http://example.com/is_root")?.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Rfc7515Vectors.Expiry), result.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_validates_with_the_private_jwk_too(string example)
    {
        var (token, _) = Example(example);
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: true);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_is_expired_after_its_exp_plus_skew(string example)
    {
        var (token, _) = Example(example);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Rfc7515Vectors.Expiry + 31));
        await using var services = Services(time, example, privateKeys: false);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.Expired, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_within_the_clock_skew_after_exp_still_validates(string example)
    {
        var (token, _) = Example(example);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Rfc7515Vectors.Expiry + 29));
        await using var services = Services(time, example, privateKeys: false);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_with_one_payload_byte_changed_fails_with_BadSignature(string example)
    {
        var (token, _) = Example(example);
        // "joe" -> "jof": still valid JSON with the same shape, so only the signature can catch it.
        var payload = Encoding.UTF8.GetBytes(Rfc7515Vectors.PayloadJson);
        payload[Rfc7515Vectors.PayloadJson.IndexOf("joe", StringComparison.Ordinal) + 2] = (byte)'f';
        var tampered = Replace(token, 1, Base64Url.EncodeToString(payload));
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false);

        var result = await services.TokenService().ValidateAsync(tampered, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.BadSignature, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_with_a_later_exp_fails_with_BadSignature(string example)
    {
        var (token, _) = Example(example);
        var tampered = Replace(token, 1, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Rfc7515Vectors.PayloadJson.Replace("1300819380", "1300819389", StringComparison.Ordinal))));
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false);

        var result = await services.TokenService().ValidateAsync(tampered, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.BadSignature, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_with_a_signature_bit_flipped_fails_with_BadSignature(string example)
    {
        var (token, _) = Example(example);
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false);
        var signature = Signature(token);
        foreach (var index in new[] { 0, signature.Length / 2, signature.Length - 1 })
        {
            var flipped = (byte[])signature.Clone();
            flipped[index] ^= 0x01;

            var result = await services.TokenService().ValidateAsync(Replace(token, 2, Base64Url.EncodeToString(flipped)), TestContext.Current.CancellationToken);

            Assert.Equal(TokenValidationError.BadSignature, result.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_without_aud_is_BadAudience_while_an_audience_is_required(string example)
    {
        // The default: an access token must name its audience (RFC 9068 §4); RequireAudience = false is the opt-out the vectors need.
        var (token, _) = Example(example);
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false, requireAudience: true);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.BadAudience, result.Error);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Rfc_example_is_BadType_while_its_typ_is_not_accepted(string example)
    {
        // A.1 says typ JWT, A.2/A.3 say nothing: with AuthKit's defaults (at+jwt required) none of them passes for an access token.
        var (token, _) = Example(example);
        await using var services = Services(new FakeTimeProvider(BeforeExpiry), example, privateKeys: false, acceptRfcTypes: false);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.BadType, result.Error);
    }

    [Fact]
    public void AuthKit_HS256_signs_the_A1_input_to_the_A1_signature_byte_for_byte()
    {
        var key = JwtSigningKey.FromJwk(Rfc7515Vectors.A1Jwk, A1Kid, JwtAlgorithms.HS256);
        var signature = new byte[key.SignatureSize];

        var written = key.Sign(SigningInput(Rfc7515Vectors.A1Token), signature);

        Assert.Equal("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", Base64Url.EncodeToString(signature.AsSpan(0, written)));
    }

    [Fact]
    public void AuthKit_RS256_signs_the_A2_input_to_the_A2_signature_byte_for_byte()
    {
        // RSASSA-PKCS1-v1_5 is deterministic, so the RFC's signature is reproduced exactly from its private JWK.
        var key = JwtSigningKey.FromJwk(Rfc7515Vectors.A2PrivateJwk, A2Kid, JwtAlgorithms.RS256);
        var signature = new byte[key.SignatureSize];

        var written = key.Sign(SigningInput(Rfc7515Vectors.A2Token), signature);

        Assert.Equal(Rfc7515Vectors.A2Token.Split('.')[2], Base64Url.EncodeToString(signature.AsSpan(0, written)));
    }

    [Fact]
    public void AuthKit_ES256_signature_of_the_A3_input_verifies_with_the_A3_public_key()
    {
        // ECDSA is randomized: the RFC's bytes cannot be reproduced, only a fresh signature verified, as A.3.1 says.
        var signer = JwtSigningKey.FromJwk(Rfc7515Vectors.A3PrivateJwk, A3Kid, JwtAlgorithms.ES256);
        var verifier = JwtSigningKey.FromJwk(Rfc7515Vectors.A3PublicJwk, A3Kid, JwtAlgorithms.ES256);
        var signature = new byte[signer.SignatureSize];

        var written = signer.Sign(SigningInput(Rfc7515Vectors.A3Token), signature);

        Assert.Equal(64, written);
        Assert.True(verifier.Verify(SigningInput(Rfc7515Vectors.A3Token), signature.AsSpan(0, written)));
        Assert.True(verifier.Verify(SigningInput(Rfc7515Vectors.A3Token), Signature(Rfc7515Vectors.A3Token)));
        Assert.False(verifier.CanSign);
    }

    private static (string Token, string Kid) Example(string example) => example switch
    {
        "A.1" => (Rfc7515Vectors.A1Token, A1Kid),
        "A.2" => (Rfc7515Vectors.A2Token, A2Kid),
        _ => (Rfc7515Vectors.A3Token, A3Kid),
    };

    /// <summary>
    /// The validator configured for the RFC's tokens: issuer <c>joe</c>; <c>typ: JWT</c> accepted (A.1) and a missing <c>typ</c> allowed (A.2, A.3);
    /// no <c>kid</c> in the tokens, so the RFC key is the only key; no <c>aud</c> in the tokens.
    /// </summary>
    private static ServiceProvider Services(FakeTimeProvider time, string example, bool privateKeys, bool requireAudience = false, bool acceptRfcTypes = true)
    {
        var key = example switch
        {
            "A.1" => JwtSigningKey.FromJwk(Rfc7515Vectors.A1Jwk, A1Kid, JwtAlgorithms.HS256),
            "A.2" => JwtSigningKey.FromJwk(privateKeys ? Rfc7515Vectors.A2PrivateJwk : Rfc7515Vectors.A2PublicJwk, A2Kid, JwtAlgorithms.RS256),
            _ => JwtSigningKey.FromJwk(privateKeys ? Rfc7515Vectors.A3PrivateJwk : Rfc7515Vectors.A3PublicJwk, A3Kid, JwtAlgorithms.ES256),
        };
        return EvidenceServices.Create(time, o =>
        {
            o.Issuer = Rfc7515Vectors.Issuer;
            o.SigningKeys.Add(key);
            if (acceptRfcTypes)
            {
                o.AcceptedTokenTypes.Add("JWT");
                o.RequireTokenType = false;
            }

            o.GenerateDevelopmentKeys = false;
            o.RequireAudience = requireAudience; // the RFC examples carry no aud
        });
    }

    private static byte[] SigningInput(string token) => Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);

    private static byte[] Signature(string token) => Base64Url.DecodeFromChars(token.Split('.')[2]);

    private static string Replace(string token, int index, string segment)
    {
        var parts = token.Split('.');
        parts[index] = segment;
        return string.Join('.', parts);
    }
}
