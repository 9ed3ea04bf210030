using System.Net;
using System.Text.RegularExpressions;
using AuthKit.Jwt.Tests.Interop;
using Microsoft.AspNetCore.TestHost;

namespace AuthKit.Jwt.Tests.Attacks;

/// <summary>
/// Every attack of <see cref="AttackCatalog"/> is refused by <see cref="ITokenService.ValidateAsync"/> with the right typed failure and no exception,
/// and through the Bearer scheme with <c>401</c> and <c>WWW-Authenticate: Bearer error="invalid_token"</c>, never a 500.
/// </summary>
public sealed partial class AttackTests
{
    public static TheoryData<string> Attacks => AttackCatalog.Names();

    [Fact]
    public async Task Control_the_good_token_validates()
    {
        // Every attack is a variation of this token: if it did not validate, the refusals below would prove nothing.
        var kit = new AttackKit();
        await using var services = EvidenceServices.Create(kit.Time, kit.Configure);

        var result = await services.TokenService().ValidateAsync(kit.Good(), TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.Equal(kit.Claims.Subject, result.Principal!.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task Control_an_RS256_token_from_the_other_issuer_validates()
    {
        var kit = new AttackKit();
        await using var services = EvidenceServices.Create(kit.Time, kit.Configure);

        var result = await services.TokenService().ValidateAsync(RawJws.Sign(AttackKit.Header("RS256", AttackKit.Rs.KeyId), kit.Payload(), AttackKit.Rs), TestContext.Current.CancellationToken);

        Assert.Equal(TokenValidationError.None, result.Error);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_is_refused_with_a_typed_failure(string attack)
    {
        var c = AttackCatalog.Get(attack);
        var kit = new AttackKit();
        await using var services = EvidenceServices.Create(kit.Time, kit.Configure);
        var token = c.Build(kit);

        var result = await services.TokenService().ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Null(result.Principal);
        Assert.Contains(result.Error, c.Expected);
        services.AssertNothingSwallowed();
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_through_the_Bearer_scheme_gets_401_invalid_token(string attack)
    {
        var c = AttackCatalog.Get(attack);
        var kit = new AttackKit();
        var token = c.Build(kit);
        if (token.Length == 0 || token != token.Trim())
        {
            Assert.Skip("HTTP strips leading and trailing whitespace from a header value, and an empty token is no token: not this attack over HTTP.");
        }

        if (!IsHeaderSafe(token))
        {
            Assert.Skip("The token holds characters an HTTP header cannot carry; ValidateAsync covers it.");
        }

        await using var app = await EvidenceServices.StartAppAsync(kit.Time, kit.Configure);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        if (B64Token().IsMatch(token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        }
        else
        {
            // Not even RFC 6750 b64token syntax (a space, '=' inside, a '*'): invalid_request (400) is as right as invalid_token (401).
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"status {(int)response.StatusCode}");
            Assert.Matches("^Bearer error=\"(invalid_token|invalid_request)\"", challenge);
        }

        Assert.DoesNotContain("error_description", challenge, StringComparison.Ordinal);
        app.Services.AssertNothingSwallowed();
    }

    [Fact]
    public async Task Good_token_through_the_Bearer_scheme_gets_200()
    {
        var kit = new AttackKit();
        await using var app = await EvidenceServices.StartAppAsync(kit.Time, kit.Configure);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + kit.Good());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello " + kit.Claims.Subject, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Catalog_covers_the_issue_7_list()
    {
        var names = string.Join("\n", AttackCatalog.All.Select(c => c.Name));
        foreach (var topic in new[]
        {
            "alg none", "alg None", "alg NONE", "alg confusion: HS256 keyed with the RS256 public key as SPKI PEM", "as SPKI DER", "kid '../", "OR '1'='1",
            "\\u0000", "kid 2000", "signature stripped", "signature truncated", "crit with an unknown", "embedded jwk", "jku", "x5u", "x5c",
            "expired", "not yet valid", "wrong audience", "wrong issuer", "oversized", "duplicate exp", "duplicate sub", "duplicate header alg",
            "= padding", "standard base64", "space inside", "non-canonical", "two segments", "four segments", "payload not JSON",
            "payload a JSON array", "exp as a string", "typ JWT",
        })
        {
            Assert.Contains(topic, names, StringComparison.Ordinal);
        }
    }

    private static bool IsHeaderSafe(string token)
    {
        foreach (var c in token)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-._~+/]+=*$")]
    private static partial Regex B64Token();
}
