using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class TokenValidationFailureTests
{
    private static readonly JwtSigningKey Hs = For(JwtAlgorithms.HS256);

    private static async Task<TokenValidationError> Validate(string token, Action<JwtAuthenticationOptions>? configure = null, params JwtSigningKey[] keys)
    {
        var service = Service(configure: configure, keys: keys.Length == 0 ? [Hs] : keys);
        return (await service.ValidateAsync(token, Ct)).Error;
    }

    [Fact]
    public async Task A_well_formed_crafted_token_validates()
    {
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), Payload())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a..c")]
    [InlineData(".b.c")]
    [InlineData("a.b.")]
    [InlineData("a.b.c.d")]
    [InlineData("a b.c.d")]
    public async Task Shapeless_tokens_are_malformed(string token)
    {
        Assert.Equal(TokenValidationError.Malformed, await Validate(token));
    }

    [Fact]
    public async Task Null_is_malformed_not_an_exception()
    {
        var service = Service();
        Assert.Equal(TokenValidationError.Malformed, (await service.ValidateAsync(null!, Ct)).Error);
    }

    [Fact]
    public async Task Non_strict_base64url_is_malformed()
    {
        var good = Sign(Hs, Header(Hs), Payload());
        var parts = good.Split('.');

        // Padding, the standard alphabet, whitespace, a non-canonical last character.
        Assert.Equal(TokenValidationError.Malformed, await Validate(parts[0] + "=." + parts[1] + "." + parts[2]));
        Assert.Equal(TokenValidationError.Malformed, await Validate(parts[0] + "." + parts[1] + ".+" + parts[2][1..]));
        Assert.Equal(TokenValidationError.Malformed, await Validate(parts[0] + " ." + parts[1] + "." + parts[2]));
        var sig = parts[2];
        Assert.Equal(43, sig.Length); // 32 bytes: the last character holds 4 unused bits
        var last = sig[^1];
        var tweaked = sig[..^1] + (char)(last + 1);
        Assert.Equal(TokenValidationError.Malformed, await Validate(parts[0] + "." + parts[1] + "." + tweaked));
    }

    [Fact]
    public async Task Oversized_token_is_malformed_before_decoding()
    {
        var big = Sign(Hs, Header(Hs), Payload(",\"pad\":\"" + new string('x', 9000) + "\""));
        Assert.Equal(TokenValidationError.Malformed, await Validate(big));
        Assert.Equal(TokenValidationError.None, await Validate(big, o => o.MaxTokenLength = 20000));
    }

    [Theory]
    [InlineData(""","crit":["exp"]""")]
    [InlineData(""","jwk":{"kty":"oct","k":"AAAA"}""")]
    [InlineData(",\"jku\":\"https://evil.test/jwks\"")]
    [InlineData(",\"x5u\":\"https://evil.test/cert\"")]
    [InlineData(""","x5c":["MIIB"]""")]
    [InlineData(",\"kid\":\"again\"")]
    [InlineData(""","x":1,"x":2""")]
    public async Task Forbidden_or_duplicate_header_members_are_malformed(string extra)
    {
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs, extra: extra), Payload())));
    }

    [Theory]
    [InlineData("""{"kid":"k-HS256","typ":"at+jwt"}""")]
    [InlineData("""{"alg":5,"kid":"k-HS256","typ":"at+jwt"}""")]
    [InlineData("""[]""")]
    [InlineData("""{"alg":"HS256","kid":"k-HS256","typ":"at+jwt"} x""")]
    [InlineData("""{"alg":"HS256",}""")]
    public async Task Bad_header_json_is_malformed(string header)
    {
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, header, Payload())));
    }

    [Theory]
    [InlineData(",\"sub\":\"twice\"")]
    [InlineData(""","x":1,"x":2""")]
    [InlineData(""","\u0065xp":1""")]
    public async Task Duplicate_claims_are_malformed(string extra)
    {
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs), Payload(extra))));
    }

    [Fact]
    public async Task Missing_exp_or_mistyped_registered_claims_are_malformed()
    {
        var now = Start.ToUnixTimeSeconds();
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","aud":"{{Audience}}"}""")));
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","aud":"{{Audience}}","exp":"{{now + 60}}"}""")));
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":5,"aud":"{{Audience}}","exp":{{now + 60}}}""")));
        Assert.Equal(TokenValidationError.Malformed, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","aud":[1],"exp":{{now + 60}}}""")));
    }

    [Fact]
    public async Task Tampered_payload_or_signature_is_a_bad_signature()
    {
        var token = Sign(Hs, Header(Hs), Payload());
        var parts = token.Split('.');
        var otherPayload = B64(Payload(""","admin":true"""));
        Assert.Equal(TokenValidationError.BadSignature, await Validate(parts[0] + "." + otherPayload + "." + parts[2]));

        var sig = parts[2].ToCharArray();
        sig[5] = sig[5] == 'A' ? 'B' : 'A';
        Assert.Equal(TokenValidationError.BadSignature, await Validate(parts[0] + "." + parts[1] + "." + new string(sig)));
        Assert.Equal(TokenValidationError.BadSignature, await Validate(parts[0] + "." + parts[1] + "." + parts[2][..20]));

        var wrongSecret = JwtSigningKey.FromSecret(Hs.KeyId, JwtAlgorithms.HS256, new byte[32]);
        Assert.Equal(TokenValidationError.BadSignature, await Validate(Sign(wrongSecret, Header(Hs), Payload())));
    }

    [Theory]
    [MemberData(nameof(TokenRoundTripTests.Algorithms), MemberType = typeof(TokenRoundTripTests))]
    public async Task Flipped_signature_bit_fails_with_every_algorithm(string algorithm)
    {
        var key = For(algorithm);
        var token = Sign(key, Header(key), Payload());
        Assert.Equal(TokenValidationError.None, await Validate(token, keys: key));
        var parts = token.Split('.');
        var sig = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
        sig[sig.Length / 2] ^= 0x01;
        Assert.Equal(TokenValidationError.BadSignature, await Validate(parts[0] + "." + parts[1] + "." + System.Buffers.Text.Base64Url.EncodeToString(sig), keys: key));
    }

    [Fact]
    public async Task Unknown_kid_is_an_unknown_key()
    {
        Assert.Equal(TokenValidationError.UnknownKey, await Validate(Sign(Hs, """{"alg":"HS256","kid":"../../etc/passwd","typ":"at+jwt"}""", Payload())));
        Assert.Equal(TokenValidationError.UnknownKey, await Validate(Sign(Hs, """{"alg":"HS256","kid":"' OR 1=1 --","typ":"at+jwt"}""", Payload())));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("HS257")]
    [InlineData("hs256")]
    public async Task None_and_unknown_algorithms_are_not_allowed(string alg)
    {
        var header = B64($$"""{"alg":"{{alg}}","kid":"k-HS256","typ":"at+jwt"}""");
        var unsigned = header + "." + B64(Payload()) + ".";
        Assert.Equal(TokenValidationError.Malformed, await Validate(unsigned)); // an empty signature is not a JWS
        Assert.Equal(TokenValidationError.AlgorithmNotAllowed, await Validate(Sign(Hs, $$"""{"alg":"{{alg}}","kid":"k-HS256","typ":"at+jwt"}""", Payload())));
    }

    [Fact]
    public async Task The_key_decides_the_algorithm()
    {
        var rsa = For(JwtAlgorithms.RS256);
        var publicRsa = JwtSigningKey.FromJwk(rsa.ToPublicJwk()!);

        // Algorithm confusion: an HS256 token "signed" with the RSA public key bytes, naming the RSA key's kid.
        var confused = JwtSigningKey.FromSecret(rsa.KeyId, JwtAlgorithms.HS256, System.Text.Encoding.UTF8.GetBytes(rsa.ToPublicJwk()!));
        Assert.Equal(TokenValidationError.AlgorithmNotAllowed, await Validate(Sign(confused, Header(confused), Payload()), keys: publicRsa));

        // Same kid, other algorithm of the same family.
        Assert.Equal(TokenValidationError.AlgorithmNotAllowed, await Validate(Sign(rsa, """{"alg":"PS256","kid":"k-RS256","typ":"at+jwt"}""", Payload()), keys: publicRsa));
    }

    [Fact]
    public async Task Without_kid_exactly_one_key_of_the_algorithm_is_used()
    {
        var other = JwtSigningKey.FromSecret("other", JwtAlgorithms.HS256, new byte[32]);
        var noKid = Sign(Hs, """{"alg":"HS256","typ":"at+jwt"}""", Payload());

        Assert.Equal(TokenValidationError.None, await Validate(noKid, keys: Hs));
        Assert.Equal(TokenValidationError.UnknownKey, await Validate(noKid, keys: [Hs, other]));
        Assert.Equal(TokenValidationError.AlgorithmNotAllowed, await Validate(noKid, keys: For(JwtAlgorithms.ES256)));
    }

    [Fact]
    public async Task Token_type_is_checked()
    {
        Assert.Equal(TokenValidationError.BadType, await Validate(Sign(Hs, Header(Hs, typ: "JWT"), Payload())));
        Assert.Equal(TokenValidationError.BadType, await Validate(Sign(Hs, """{"alg":"HS256","kid":"k-HS256"}""", Payload())));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs, typ: "application/AT+JWT"), Payload())));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs, typ: "JWT"), Payload()), o => o.AcceptedTokenTypes.Add("JWT")));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, """{"alg":"HS256","kid":"k-HS256"}""", Payload()), o => o.RequireTokenType = false));
    }

    [Fact]
    public async Task Expiry_and_not_before_honour_the_clock_skew()
    {
        var now = Start.ToUnixTimeSeconds();
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), Payload(exp: now - 29))));
        Assert.Equal(TokenValidationError.Expired, await Validate(Sign(Hs, Header(Hs), Payload(exp: now - 30))));
        Assert.Equal(TokenValidationError.Expired, await Validate(Sign(Hs, Header(Hs), Payload(exp: now)), o => o.ClockSkew = TimeSpan.Zero));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), Payload(nbf: now + 30))));
        Assert.Equal(TokenValidationError.NotYetValid, await Validate(Sign(Hs, Header(Hs), Payload(nbf: now + 31))));
    }

    [Fact]
    public async Task Time_passing_expires_an_issued_token()
    {
        var time = NewClock();
        var service = Service(time);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;

        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenValidationError.Expired, (await service.ValidateAsync(token, Ct)).Error);
    }

    [Fact]
    public async Task Issuer_and_audience_are_checked()
    {
        Assert.Equal(TokenValidationError.BadIssuer, await Validate(Sign(Hs, Header(Hs), Payload(issuer: "https://evil.test"))));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), Payload(issuer: "https://partner.test")), o => o.ValidIssuers.Add("https://partner.test")));
        Assert.Equal(TokenValidationError.BadAudience, await Validate(Sign(Hs, Header(Hs), Payload(audience: "https://other.test"))));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), Payload(audience: "https://other.test")), o => o.ValidAudiences.Add("https://other.test")));

        var now = Start.ToUnixTimeSeconds();
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","aud":["x","{{Audience}}"],"exp":{{now + 60}}}""")));
        Assert.Equal(TokenValidationError.BadAudience, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","exp":{{now + 60}}}""")));
        Assert.Equal(TokenValidationError.None, await Validate(Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"u","exp":{{now + 60}}}"""), o => o.RequireAudience = false));
        Assert.Equal(TokenValidationError.BadAudience, await Validate(Sign(Hs, Header(Hs), Payload(audience: "https://other.test")), o => o.RequireAudience = false));
        Assert.Equal(TokenValidationError.BadIssuer, await Validate(Sign(Hs, Header(Hs), $$"""{"sub":"u","aud":"{{Audience}}","exp":{{now + 60}}}""")));
    }

    [Fact]
    public async Task Denied_jti_is_revoked_only_with_the_denylist_on()
    {
        var store = new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), NewClock());
        var time = NewClock();
        var on = Service(time, o => o.EnableTokenIdDenylist = true, store);
        var off = Service(time, null, store);
        var issued = await on.IssueAsync(User(), cancellationToken: Ct);

        await on.RevokeTokenIdAsync(issued.TokenId, issued.AccessTokenExpiresAt, Ct);

        Assert.Equal(TokenValidationError.Revoked, (await on.ValidateAsync(issued.AccessToken, Ct)).Error);
        Assert.True((await off.ValidateAsync(issued.AccessToken, Ct)).Succeeded);
        var record = await store.GetAsync(SessionKey.FromSessionId("jti:" + issued.TokenId), Ct);
        Assert.NotNull(record);
        Assert.Equal(SessionRecordKind.RevokedToken, record.Kind);
        Assert.Equal(issued.AccessTokenExpiresAt + TimeSpan.FromSeconds(30), record.AbsoluteExpiresAt);
        var other = await on.IssueAsync(User(), cancellationToken: Ct);
        Assert.True((await on.ValidateAsync(other.AccessToken, Ct)).Succeeded);
    }
}
