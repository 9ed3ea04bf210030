using System.Security.Claims;
using System.Text.Json;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class TokenRoundTripTests
{
    public static TheoryData<string> Algorithms => new(AllAlgorithms);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Issued_token_validates_with_every_algorithm(string algorithm)
    {
        var key = For(algorithm);
        var service = Service(keys: key);

        var issued = await service.IssueAsync(User("alice", new Claim(ClaimTypes.Role, "admin")), cancellationToken: Ct);
        var result = await service.ValidateAsync(issued.AccessToken, Ct);

        Assert.True(result.Succeeded, result.Error.ToString());
        Assert.Equal("alice", result.Principal.Identity!.Name);
        Assert.Equal(JwtAuthenticationDefaults.AuthenticationScheme, result.Principal.Identity.AuthenticationType);
        Assert.True(result.Principal.IsInRole("admin"));
        Assert.Equal(issued.TokenId, result.TokenId);
        Assert.Equal(issued.AccessTokenExpiresAt, result.ExpiresAt);

        using var header = JsonDocument.Parse(DecodeSegment(issued.AccessToken, 0));
        Assert.Equal(algorithm, header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(key.KeyId, header.RootElement.GetProperty("kid").GetString());
        Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal(3, header.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task Payload_carries_the_registered_claims_and_the_principal_claims()
    {
        var time = NewClock();
        var service = Service(time);
        var principal = User("u-42",
            new Claim(ClaimTypes.Name, "Alice"),
            new Claim(ClaimTypes.Email, "alice@example.test"),
            new Claim(ClaimTypes.Role, "admin"),
            new Claim(ClaimTypes.Role, "ops"),
            new Claim("client_id", "spa"),
            new Claim("level", "7", ClaimValueTypes.Integer64),
            new Claim("beta", "true", ClaimValueTypes.Boolean),
            new Claim("address", """{"city":"Paris"}""", "JSON"));

        var issued = await service.IssueAsync(principal, new TokenIssueOptions { Scope = "read write", AccessTokenLifetime = TimeSpan.FromMinutes(5) }, Ct);

        using var payload = JsonDocument.Parse(DecodeSegment(issued.AccessToken, 1));
        var p = payload.RootElement;
        var now = Start.ToUnixTimeSeconds();
        Assert.Equal(Issuer, p.GetProperty("iss").GetString());
        Assert.Equal("u-42", p.GetProperty("sub").GetString());
        Assert.Equal(Audience, p.GetProperty("aud").GetString());
        Assert.Equal(now + 300, p.GetProperty("exp").GetInt64());
        Assert.Equal(now, p.GetProperty("nbf").GetInt64());
        Assert.Equal(now, p.GetProperty("iat").GetInt64());
        Assert.Equal(issued.TokenId, p.GetProperty("jti").GetString());
        Assert.Equal("read write", p.GetProperty("scope").GetString());
        Assert.Equal("spa", p.GetProperty("client_id").GetString());
        Assert.Equal("Alice", p.GetProperty("name").GetString());
        Assert.Equal("alice@example.test", p.GetProperty("email").GetString());
        Assert.Equal(["admin", "ops"], p.GetProperty("role").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(7, p.GetProperty("level").GetInt32());
        Assert.True(p.GetProperty("beta").GetBoolean());
        Assert.Equal("Paris", p.GetProperty("address").GetProperty("city").GetString());
        Assert.False(p.TryGetProperty(ClaimTypes.NameIdentifier, out _));
        Assert.Equal(Start + TimeSpan.FromMinutes(5), issued.AccessTokenExpiresAt);
        Assert.Null(issued.RefreshToken);
        Assert.Equal("Bearer", issued.TokenType);
    }

    [Fact]
    public async Task Validated_principal_has_claims_from_the_payload()
    {
        var service = Service();
        var token = Sign(For(JwtAlgorithms.HS256), Header(For(JwtAlgorithms.HS256)),
            Payload(""","roles":["a","b"],"n":1.5,"big":12345678901,"ok":false,"nothing":null,"obj":{"x":[1,2]},"nested":[[1],"s"]"""));

        var result = await service.ValidateAsync(token, Ct);

        Assert.True(result.Succeeded, result.Error.ToString());
        var p = result.Principal;
        Assert.Equal(["a", "b"], p.FindAll("roles").Select(c => c.Value).ToArray());
        Assert.Equal(ClaimValueTypes.Double, p.FindFirst("n")!.ValueType);
        Assert.Equal("1.5", p.FindFirst("n")!.Value);
        Assert.Equal(ClaimValueTypes.Integer64, p.FindFirst("big")!.ValueType);
        Assert.Equal("false", p.FindFirst("ok")!.Value);
        Assert.Null(p.FindFirst("nothing"));
        Assert.Equal("""{"x":[1,2]}""", p.FindFirst("obj")!.Value);
        Assert.Equal("JSON", p.FindFirst("obj")!.ValueType);
        Assert.Equal(["[1]", "s"], p.FindAll("nested").Select(c => c.Value).ToArray());
        Assert.All(p.Claims, c => Assert.Equal(Issuer, c.Issuer));
        Assert.Equal("user-1", p.Identity!.Name);
        Assert.Equal(Audience, p.FindFirst("aud")!.Value);
        Assert.Equal("j1", result.TokenId);
    }

    [Fact]
    public async Task Validated_claims_issue_again_unchanged()
    {
        var service = Service();
        var first = await service.IssueAsync(User("bob", new Claim("role", "a"), new Claim("role", "b"), new Claim("n", "3", ClaimValueTypes.Integer64)), cancellationToken: Ct);
        var validated = await service.ValidateAsync(first.AccessToken, Ct);

        var second = await service.IssueAsync(validated.Principal!, cancellationToken: Ct);
        var again = await service.ValidateAsync(second.AccessToken, Ct);

        Assert.True(again.Succeeded);
        Assert.Equal("bob", again.Principal.Identity!.Name);
        Assert.Equal(["a", "b"], again.Principal.FindAll("role").Select(c => c.Value).ToArray());
        Assert.Equal("3", again.Principal.FindFirst("n")!.Value);
        Assert.NotEqual(first.TokenId, second.TokenId);
        Assert.Single(again.Principal.FindAll("sub"));
        Assert.Single(again.Principal.FindAll("exp"));
    }

    [Fact]
    public async Task Sub_claim_takes_precedence_and_a_principal_without_subject_is_refused()
    {
        var service = Service();
        var withSub = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "s-1"), new Claim(ClaimTypes.NameIdentifier, "n-1")], "t"));
        var issued = await service.IssueAsync(withSub, cancellationToken: Ct);
        Assert.Equal("s-1", (await service.ValidateAsync(issued.AccessToken, Ct)).Principal!.Identity!.Name);

        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")], "t"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await service.IssueAsync(anonymous, cancellationToken: Ct));
    }

    [Fact]
    public async Task Issue_options_set_audience_and_lifetime()
    {
        var time = NewClock();
        var service = Service(time, o => o.ValidAudiences.Add("https://other.test"));
        var issued = await service.IssueAsync(User(), new TokenIssueOptions { Audience = "https://other.test", AccessTokenLifetime = TimeSpan.FromSeconds(60) }, Ct);

        var result = await service.ValidateAsync(issued.AccessToken, Ct);
        Assert.True(result.Succeeded);
        Assert.Equal("https://other.test", result.Principal.FindFirst("aud")!.Value);

        time.Advance(TimeSpan.FromSeconds(60 + 30));
        Assert.Equal(TokenValidationError.Expired, (await service.ValidateAsync(issued.AccessToken, Ct)).Error);
    }

    [Fact]
    public async Task Rotated_keys_validate_old_tokens_and_sign_with_the_active_one()
    {
        var oldKey = JwtSigningKey.FromSecret("old", JwtAlgorithms.HS256, HmacSecret[..32]);
        var newKey = For(JwtAlgorithms.ES256);
        var before = Service(keys: oldKey);
        var oldToken = (await before.IssueAsync(User(), cancellationToken: Ct)).AccessToken;

        var after = Service(configure: o => o.ActiveKeyId = newKey.KeyId, keys: [oldKey, newKey]);
        var newToken = (await after.IssueAsync(User(), cancellationToken: Ct)).AccessToken;

        Assert.True((await after.ValidateAsync(oldToken, Ct)).Succeeded);
        Assert.True((await after.ValidateAsync(newToken, Ct)).Succeeded);
        Assert.Contains("\"kid\":\"k-ES256\"", DecodeSegment(newToken, 0), StringComparison.Ordinal);
        Assert.Equal(TokenValidationError.UnknownKey, (await before.ValidateAsync(newToken, Ct)).Error);
    }

    [Fact]
    public async Task Retired_configured_key_validates_but_never_signs()
    {
        var o = new JwtAuthenticationOptions { Issuer = Issuer };
        o.Keys.Add(new JwtKeyOptions { KeyId = "old", Algorithm = "HS256", Secret = Convert.ToBase64String(HmacSecret[..32]), Retired = true });
        o.Keys.Add(new JwtKeyOptions { KeyId = "new", Algorithm = "HS512", Secret = Convert.ToBase64String(HmacSecret) });
        var service = Create(o);
        Assert.Equal("new", service.ActiveKey!.KeyId);

        var oldSigner = Create(new JwtAuthenticationOptions { Issuer = Issuer, SigningKeys = { JwtSigningKey.FromSecret("old", "HS256", HmacSecret[..32]) } });
        var oldToken = (await oldSigner.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        Assert.True((await service.ValidateAsync(oldToken, Ct)).Succeeded);

        o.ActiveKeyId = "old";
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => JwtTokenService.Create(o));
        Assert.Contains("AuthKit:Jwt:ActiveKeyId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_only_service_validates_and_refuses_to_issue()
    {
        var signer = For(JwtAlgorithms.RS256);
        var publicOnly = JwtSigningKey.FromJwk(signer.ToPublicJwk()!);
        Assert.False(publicOnly.CanSign);
        var issuer = Service(keys: signer);
        var verifier = Service(keys: publicOnly);
        var token = (await issuer.IssueAsync(User(), cancellationToken: Ct)).AccessToken;

        Assert.True((await verifier.ValidateAsync(token, Ct)).Succeeded);
        Assert.Null(verifier.ActiveKey);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await verifier.IssueAsync(User(), cancellationToken: Ct));
    }
}
