using System.Security.Claims;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// The validated principal, claim by claim: type, value, value type, issuer, original issuer, subject and order, whichever member of the
/// payload comes first (the reader builds the identity as it reads when <c>iss</c> leads, and at the end otherwise).
/// </summary>
public sealed class ValidatedPrincipalShapeTests
{
    private static readonly JwtSigningKey Hs = For(JwtAlgorithms.HS256);

    private static readonly long Now = Start.ToUnixTimeSeconds();

    // Every kind of member the reader maps, each with the claims it must become (in order).
    private static readonly (string Json, (string Type, string Value, string ValueType)[] Claims)[] s_members =
    [
        ($"\"iss\":\"{Issuer}\"", [("iss", Issuer, ClaimValueTypes.String)]),
        ("\"sub\":\"user-1\"", [("sub", "user-1", ClaimValueTypes.String)]),
        ($"\"aud\":[\"{Audience}\",\"https://other.test\"]", [("aud", Audience, ClaimValueTypes.String), ("aud", "https://other.test", ClaimValueTypes.String)]),
        ($"\"exp\":{Now + 600}", [("exp", (Now + 600).ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)]),
        ($"\"nbf\":{Now}", [("nbf", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)]),
        ($"\"iat\":{Now}.75", [("iat", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)]),
        ("\"jti\":\"j1\"", [("jti", "j1", ClaimValueTypes.String)]),
        ("\"name\":\"Ada\"", [("name", "Ada", ClaimValueTypes.String)]),
        ("\"role\":[\"r1\",\"r2\"]", [("role", "r1", ClaimValueTypes.String), ("role", "r2", ClaimValueTypes.String)]),
        ("\"scope\":\"read write\"", [("scope", "read write", ClaimValueTypes.String)]),
        ("\"n\":1.5", [("n", "1.5", ClaimValueTypes.Double)]),
        ("\"big\":12345678901", [("big", "12345678901", ClaimValueTypes.Integer64)]),
        ("\"ok\":true", [("ok", "true", ClaimValueTypes.Boolean)]),
        ("\"nothing\":null", []),
        ("\"obj\":{\"x\":[1,2]}", [("obj", """{"x":[1,2]}""", "JSON")]),
        ("\"nested\":[[1],\"s\"]", [("nested", "[1]", "JSON_ARRAY"), ("nested", "s", ClaimValueTypes.String)]),
        ("\"\\u0063ustom\":\"escaped name\"", [("custom", "escaped name", ClaimValueTypes.String)]),
        ("\"email\":\"ada@example.test\"", [("email", "ada@example.test", ClaimValueTypes.String)]),
    ];

    // (the member that leads the others, where iss goes among them): iss first, after a registered claim, after a custom claim (with or without
    // a value: null adds no claim), after an escaped name, after a nested value, and last.
    public static TheoryData<string, int> IssuerPositions => new()
    {
        { "sub", 0 },
        { "sub", 1 },
        { "sub", 7 },
        { "sub", s_members.Length - 1 },
        { "n", 1 },
        { "ok", 1 },
        { "nothing", 1 },
        { "custom", 1 },
        { "obj", 1 },
        { "role", 2 },
    };

    [Theory]
    [MemberData(nameof(IssuerPositions))]
    public async Task Principal_is_the_payload_in_order_wherever_iss_stands(string leading, int issuerPosition)
    {
        var others = s_members.Skip(1).ToList();
        var first = others.FindIndex(m => m.Json.Contains("\"" + leading + "\"", StringComparison.Ordinal) || (leading == "custom" && m.Json.Contains("\\u0063ustom", StringComparison.Ordinal)));
        Assert.True(first >= 0, leading);
        var members = others.Skip(first).Concat(others.Take(first)).ToList();
        members.Insert(issuerPosition, s_members[0]);
        var payload = "{" + string.Join(",", members.Select(m => m.Json)) + "}";
        var service = Service(configure: o => o.ValidAudiences.Add("https://unused.test"));

        var result = await service.ValidateAsync(Sign(Hs, Header(Hs), payload), Ct);

        Assert.True(result.Succeeded, result.Error.ToString());
        var identity = Assert.Single(result.Principal!.Identities);
        Assert.Equal(JwtAuthenticationDefaults.AuthenticationScheme, identity.AuthenticationType);
        Assert.Equal("sub", identity.NameClaimType);
        Assert.Equal("role", identity.RoleClaimType);
        Assert.Equal("user-1", identity.Name);
        Assert.True(result.Principal.IsInRole("r2"));
        Assert.Equal(
            members.SelectMany(m => m.Claims).ToArray(),
            identity.Claims.Select(c => (c.Type, c.Value, c.ValueType)).ToArray());
        Assert.All(identity.Claims, c =>
        {
            Assert.Equal(Issuer, c.Issuer);
            Assert.Equal(Issuer, c.OriginalIssuer);
            Assert.Same(identity, c.Subject);
            Assert.Empty(c.Properties);
        });
        Assert.Equal("j1", result.TokenId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now + 600), result.ExpiresAt);
    }

    [Fact]
    public async Task The_framework_copy_of_the_identity_keeps_every_claim()
    {
        var result = await Service().ValidateAsync(Sign(Hs, Header(Hs), Payload(""","name":"Ada","role":"r1" """)), Ct);

        var original = result.Principal!.Identities.Single();
        var copy = new ClaimsIdentity(original, null, "copy", null, null);
        Assert.Equal(original.Claims.Select(c => (c.Type, c.Value)).ToArray(), copy.Claims.Select(c => (c.Type, c.Value)).ToArray());
        Assert.Equal(9, copy.Claims.Count());
    }

    [Theory]
    [InlineData(""","x":1,"\u0078":2""")]
    [InlineData(""","name":"a","name":"b" """)]
    [InlineData(""","\u006eame":"a","name":"b" """)]
    [InlineData(""","role":"a","email":"e","role":"b" """)]
    [InlineData(""","iss":"https://issuer.test" """)]
    [InlineData(""","\u0069ss":"https://issuer.test" """)]
    public async Task Duplicate_members_are_malformed_when_iss_leads(string extra)
    {
        var token = Sign(Hs, Header(Hs), Payload(extra));
        Assert.StartsWith("{\"iss\":", DecodeSegment(token, 1), StringComparison.Ordinal);
        Assert.Equal(TokenValidationError.Malformed, (await Service().ValidateAsync(token, Ct)).Error);
    }

    [Fact]
    public async Task Duplicate_among_many_names_is_malformed_when_iss_leads()
    {
        // More names than the reader keeps in its list: the rest are checked in a set.
        var many = string.Concat(Enumerable.Range(0, 40).Select(i => $",\"c{i}\":{i}"));
        Assert.Equal(TokenValidationError.None, (await Service().ValidateAsync(Sign(Hs, Header(Hs), Payload(many)), Ct)).Error);
        Assert.Equal(TokenValidationError.Malformed, (await Service().ValidateAsync(Sign(Hs, Header(Hs), Payload(many + ",\"c3\":0")), Ct)).Error);
    }

    [Fact]
    public async Task An_escaped_iss_that_leads_is_the_issuer()
    {
        var payload = Payload().Replace("{\"iss\"", "{\"\\u0069ss\"", StringComparison.Ordinal);
        var result = await Service().ValidateAsync(Sign(Hs, Header(Hs), payload), Ct);

        Assert.True(result.Succeeded, result.Error.ToString());
        Assert.Equal(Issuer, result.Principal!.FindFirst("iss")!.Value);
        Assert.All(result.Principal.Claims, c => Assert.Equal(Issuer, c.Issuer));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_first_failing_check_answers_whether_iss_leads_or_not(bool issuerFirst)
    {
        string P(string iss, long exp) => issuerFirst
            ? $$"""{"iss":"{{iss}}","sub":"u","aud":"{{Audience}}","exp":{{exp}}}"""
            : $$"""{"sub":"u","aud":"{{Audience}}","exp":{{exp}},"iss":"{{iss}}"}""";
        async Task<TokenValidationError> V(string payload) => (await Service().ValidateAsync(Sign(Hs, Header(Hs), payload), Ct)).Error;

        Assert.Equal(TokenValidationError.Expired, await V(P("https://evil.test", Now - 3600)));
        Assert.Equal(TokenValidationError.BadIssuer, await V(P("https://evil.test", Now + 600)));
        Assert.Equal(TokenValidationError.None, await V(P(Issuer, Now + 600)));
    }
}
