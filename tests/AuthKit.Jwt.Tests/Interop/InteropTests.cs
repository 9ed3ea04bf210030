using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthKit.Jwt.Tests.Interop;

/// <summary>
/// Interop both ways, for every algorithm, with Microsoft.IdentityModel.JsonWebTokens 8.23.0 and jose-jwt 5.3.0:
/// tokens AuthKit issues validate there (against the public key only), and tokens they issue (typ at+jwt, kid, iss, aud, exp) validate in AuthKit.
/// </summary>
public sealed class InteropTests
{
    public static TheoryData<string> Algorithms => PeerKey.AllAlgorithms();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task AuthKit_token_validates_in_JsonWebTokenHandler(string algorithm)
    {
        var key = PeerKey.For(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        await using var services = EvidenceServices.Create(time, EvidenceServices.Configure(claims, key.KeyId, key.ToAuthKitKey(privateKey: true)));
        var issued = await services.TokenService().IssueAsync(PeerTokens.Principal(claims), cancellationToken: TestContext.Current.CancellationToken);

        var result = await PeerTokens.ValidateWithJsonWebTokenHandlerAsync(issued.AccessToken, key, claims);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(algorithm, jwt.Alg);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(claims.Subject, result.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(issued.TokenId, jwt.Id);
        Assert.Equal(issued.AccessTokenExpiresAt, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task AuthKit_token_validates_in_jose_jwt(string algorithm)
    {
        var key = PeerKey.For(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        await using var services = EvidenceServices.Create(time, EvidenceServices.Configure(claims, key.KeyId, key.ToAuthKitKey(privateKey: true)));
        var issued = await services.TokenService().IssueAsync(PeerTokens.Principal(claims), cancellationToken: TestContext.Current.CancellationToken);

        var (header, payload) = PeerTokens.ValidateWithJoseJwt(issued.AccessToken, key);

        using (header)
        using (payload)
        {
            Assert.Equal(algorithm, header.RootElement.GetProperty("alg").GetString());
            Assert.Equal(key.KeyId, header.RootElement.GetProperty("kid").GetString());
            Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
            var p = payload.RootElement;
            Assert.Equal(claims.Issuer, p.GetProperty("iss").GetString());
            Assert.Equal(claims.Audience, AudienceOf(p));
            Assert.Equal(claims.Subject, p.GetProperty("sub").GetString());
            Assert.Equal(issued.TokenId, p.GetProperty("jti").GetString());
            Assert.Equal(issued.AccessTokenExpiresAt.ToUnixTimeSeconds(), p.GetProperty("exp").GetInt64());
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task JsonWebTokenHandler_token_validates_in_AuthKit(string algorithm)
    {
        var key = PeerKey.For(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        var token = PeerTokens.IssueWithJsonWebTokenHandler(key, claims);
        await using var services = VerifyingServices(time, claims, key);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.Equal(claims.Subject, result.Principal!.FindFirst("sub")?.Value);
        Assert.Equal(claims.Subject, result.Principal.Identity?.Name);
        Assert.StartsWith("mi-", result.TokenId, StringComparison.Ordinal);
        Assert.Equal(claims.Expires, result.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task JoseJwt_token_validates_in_AuthKit(string algorithm)
    {
        var key = PeerKey.For(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        var token = PeerTokens.IssueWithJoseJwt(key, claims);
        await using var services = VerifyingServices(time, claims, key);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.Equal(claims.Subject, result.Principal!.FindFirst("sub")?.Value);
        Assert.StartsWith("jose-", result.TokenId, StringComparison.Ordinal);
        Assert.Equal(claims.Expires, result.ExpiresAt);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Peer_token_signed_by_another_key_of_the_same_algorithm_fails_in_AuthKit_with_BadSignature(string algorithm)
    {
        // The control that makes the two tests above mean something: AuthKit really checks the peers' signatures.
        var key = PeerKey.For(algorithm);
        var other = OtherKey(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        await using var services = VerifyingServices(time, claims, key);

        var fromMicrosoft = await services.TokenService().ValidateAsync(PeerTokens.IssueWithJsonWebTokenHandler(other, claims), TestContext.Current.CancellationToken);
        var fromJose = await services.TokenService().ValidateAsync(PeerTokens.IssueWithJoseJwt(other, claims), TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.BadSignature, fromMicrosoft.Error);
        Assert.Equal(TokenValidationError.BadSignature, fromJose.Error);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task AuthKit_token_signed_by_another_key_fails_in_the_peers(string algorithm)
    {
        var key = PeerKey.For(algorithm);
        var other = OtherKey(algorithm);
        var time = EvidenceServices.ClockAtNow();
        var claims = InteropClaims.At(time.GetUtcNow());
        await using var services = EvidenceServices.Create(time, EvidenceServices.Configure(claims, other.KeyId, other.ToAuthKitKey(privateKey: true)));
        var issued = await services.TokenService().IssueAsync(PeerTokens.Principal(claims), cancellationToken: TestContext.Current.CancellationToken);

        var microsoft = await PeerTokens.ValidateWithJsonWebTokenHandlerAsync(issued.AccessToken, key, claims);

        Assert.False(microsoft.IsValid);
        Assert.ThrowsAny<Exception>(() => PeerTokens.ValidateWithJoseJwt(issued.AccessToken, key));
    }

    /// <summary>AuthKit verifying with the peer's public key only (HMAC: the shared secret); a separate HS256 key signs, as an API that only consumes tokens would have.</summary>
    private static Microsoft.Extensions.DependencyInjection.ServiceProvider VerifyingServices(TimeProvider time, InteropClaims claims, PeerKey key)
    {
        var signer = JwtSigningKey.Generate("local-signer", JwtAlgorithms.HS256);
        return EvidenceServices.Create(time, EvidenceServices.Configure(claims, signer.KeyId, signer, key.ToAuthKitKey(privateKey: false)));
    }

    /// <summary>A different key of the same algorithm but the same <c>kid</c> (an impostor).</summary>
    private static PeerKey OtherKey(string algorithm) => PeerKey.Impostor(algorithm);

    private static string? AudienceOf(JsonElement payload)
    {
        var aud = payload.GetProperty("aud");
        return aud.ValueKind == JsonValueKind.Array ? aud[0].GetString() : aud.GetString();
    }
}
