using System.Security.Cryptography;
using System.Text.Json;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class SigningKeyTests
{
    [Theory]
    [InlineData("HS256", 31)]
    [InlineData("HS384", 47)]
    [InlineData("HS512", 63)]
    public void Hmac_secret_shorter_than_the_hash_is_refused(string algorithm, int length)
    {
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromSecret("k", algorithm, new byte[length]));
        var ok = JwtSigningKey.FromSecret("k", algorithm, new byte[length + 1]);
        Assert.True(ok.IsSymmetric);
        Assert.True(ok.CanSign);
        Assert.Null(ok.ToPublicJwk());
    }

    [Fact]
    public void Algorithm_and_key_type_must_match()
    {
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromRsa("k", JwtAlgorithms.ES256, rsa));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromRsa("k", JwtAlgorithms.HS256, rsa));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromECDsa("k", JwtAlgorithms.RS256, p256));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromECDsa("k", JwtAlgorithms.ES384, p256));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromECDsa("k", JwtAlgorithms.ES256, p384));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromSecret("k", JwtAlgorithms.RS256, new byte[64]));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromSecret("k", "none", new byte[64]));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromSecret("", JwtAlgorithms.HS256, new byte[64]));
        Assert.Equal(JwtAlgorithms.ES384, JwtSigningKey.FromECDsa("k", JwtAlgorithms.ES384, p384).Algorithm);
    }

    [Fact]
    public void Small_rsa_keys_are_refused()
    {
        using var rsa = RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromRsa("k", JwtAlgorithms.RS256, rsa));
    }

    [Fact]
    public async Task Hmac_secret_is_copied()
    {
        var secret = new byte[32];
        var key = JwtSigningKey.FromSecret("k", JwtAlgorithms.HS256, secret);
        var service = Service(keys: key);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        secret[0] = 1;
        Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(TokenRoundTripTests.Algorithms), MemberType = typeof(TokenRoundTripTests))]
    public async Task Generated_keys_sign_and_public_jwks_verify(string algorithm)
    {
        var key = JwtSigningKey.Generate("gen", algorithm);
        Assert.Equal("gen", key.KeyId);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(key.CanSign);
        var jwk = key.ToPublicJwk();
        if (key.IsSymmetric)
        {
            Assert.Null(jwk);
            return;
        }

        using var doc = JsonDocument.Parse(jwk!);
        Assert.False(doc.RootElement.TryGetProperty("d", out _));
        var publicKey = JwtSigningKey.FromJwk(jwk!);
        Assert.False(publicKey.CanSign);
        var token = Sign(key, Header(key), Payload());
        Assert.True((await Service(keys: publicKey).ValidateAsync(token, Ct)).Succeeded);
    }

    [Fact]
    public async Task Private_jwk_round_trips_and_the_jwk_must_name_its_algorithm()
    {
        var original = For(JwtAlgorithms.ES512);
        var reloaded = JwtSigningKey.FromJwk(original.ToPrivateJwk());
        Assert.True(reloaded.CanSign);
        Assert.Equal(original.KeyId, reloaded.KeyId);
        Assert.True((await Service(keys: original).ValidateAsync(Sign(reloaded, Header(reloaded), Payload()), Ct)).Succeeded);

        using var doc = JsonDocument.Parse(original.ToPublicJwk()!);
        var withoutAlg = JsonSerializer.Serialize(doc.RootElement.EnumerateObject().Where(p => p.Name != "alg").ToDictionary(p => p.Name, p => p.Value.GetString()));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromJwk(withoutAlg));
        Assert.Equal(JwtAlgorithms.ES512, JwtSigningKey.FromJwk(withoutAlg, null, JwtAlgorithms.ES512).Algorithm);
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromJwk(original.ToPublicJwk()!, null, JwtAlgorithms.ES256));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromJwk("{not json"));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromJwk("""{"kty":"oct","kid":"k","alg":"HS256","k":"AAAA"}"""));
    }

    [Fact]
    public async Task Pem_keys_load_private_public_and_certificate()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var priv = JwtSigningKey.FromPem("p", JwtAlgorithms.ES384, ec.ExportPkcs8PrivateKeyPem());
        var sec1 = JwtSigningKey.FromPem("s", JwtAlgorithms.ES384, ec.ExportECPrivateKeyPem());
        var pub = JwtSigningKey.FromPem("q", JwtAlgorithms.ES384, ec.ExportSubjectPublicKeyInfoPem());
        Assert.True(priv.CanSign);
        Assert.True(sec1.CanSign);
        Assert.False(pub.CanSign);

        using var rsa = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(Start, Start.AddYears(1));
        var fromCert = JwtSigningKey.FromPem("c", JwtAlgorithms.RS256, cert.ExportCertificatePem());
        Assert.False(fromCert.CanSign);
        var signer = JwtSigningKey.FromPem("c", JwtAlgorithms.RS256, rsa.ExportRSAPrivateKeyPem());
        Assert.True((await Service(keys: fromCert).ValidateAsync(Sign(signer, Header(signer), Payload()), Ct)).Succeeded);

        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromPem("x", JwtAlgorithms.HS256, ec.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromPem("x", JwtAlgorithms.RS256, ec.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => JwtSigningKey.FromPem("x", JwtAlgorithms.ES256, ec.ExportPkcs8PrivateKeyPem()));
    }
}
