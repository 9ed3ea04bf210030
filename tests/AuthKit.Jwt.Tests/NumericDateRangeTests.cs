using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// NumericDates (<c>exp</c>, <c>nbf</c>, <c>iat</c>) beyond what a <see cref="DateTimeOffset"/> holds (before year 1, after 9999-12-31T23:59:59Z)
/// are Malformed, never clamped: a clamped <c>"exp": 1e23</c> would be a correctly signed token that never expires.
/// </summary>
public sealed class NumericDateRangeTests
{
    private const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z
    private static readonly JwtSigningKey Hs = For(JwtAlgorithms.HS256);
    private static readonly long Now = Start.ToUnixTimeSeconds();

    private static string Token(string exp, string? nbf = null, string? iat = null) =>
        Sign(Hs, Header(Hs), $$"""{"iss":"{{Issuer}}","sub":"user-1","aud":"{{Audience}}","exp":{{exp}},"nbf":{{nbf ?? Now.ToString()}},"iat":{{iat ?? Now.ToString()}},"jti":"j1"}""");

    private static async Task<AccessTokenValidationResult> Validate(string token) => await Service(keys: [Hs]).ValidateAsync(token, Ct);

    [Theory]
    [InlineData("99999999999999999999999")]          // beyond long
    [InlineData("1e23")]
    [InlineData("1E+23")]
    [InlineData("9223372036854775807")]              // long.MaxValue
    [InlineData("253402300800")]                     // 10000-01-01T00:00:00Z, one second past the range
    [InlineData("253402300800.5")]
    [InlineData("1.7976931348623157e308")]           // double.MaxValue
    [InlineData("-62135596801")]                     // one second before 0001-01-01
    [InlineData("-99999999999999999999999")]
    public async Task An_exp_beyond_the_representable_range_is_malformed_not_a_token_that_never_expires(string exp)
    {
        var result = await Validate(Token(exp));

        Assert.Equal(TokenValidationError.Malformed, result.Error);
        Assert.Null(result.Principal);
    }

    [Theory]
    [InlineData("99999999999999999999999")]
    [InlineData("-99999999999999999999999")]         // was clamped to year 1: a token valid "since forever"
    [InlineData("253402300800")]
    [InlineData("-62135596801")]
    [InlineData("1e300")]
    public async Task An_nbf_beyond_the_range_is_malformed(string nbf)
    {
        Assert.Equal(TokenValidationError.Malformed, (await Validate(Token((Now + 600).ToString(), nbf: nbf))).Error);
    }

    [Theory]
    [InlineData("99999999999999999999999")]
    [InlineData("-99999999999999999999999")]
    [InlineData("253402300800")]
    [InlineData("-1e20")]
    public async Task An_iat_beyond_the_range_is_malformed(string iat)
    {
        Assert.Equal(TokenValidationError.Malformed, (await Validate(Token((Now + 600).ToString(), iat: iat))).Error);
    }

    [Fact]
    public async Task The_last_representable_second_is_still_a_valid_exp()
    {
        var result = await Validate(Token(MaxSeconds.ToString()));

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(MaxSeconds), result.ExpiresAt);
        Assert.Equal(MaxSeconds.ToString(), result.Principal!.FindFirst("exp")!.Value);
    }

    [Theory]
    [InlineData("253402300799.9", MaxSeconds)]     // floors into the range
    [InlineData("1767269400.75", 1767269400)]
    [InlineData("1.7672694e9", 1767269400)]
    public async Task Fractions_and_exponents_within_the_range_are_floored(string exp, long expected)
    {
        var result = await Validate(Token(exp));

        Assert.Equal(TokenValidationError.None, result.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected), result.ExpiresAt);
    }

    [Fact]
    public async Task An_exp_far_in_the_past_but_representable_is_expired_not_malformed()
    {
        Assert.Equal(TokenValidationError.Expired, (await Validate(Token("-62135596800"))).Error);
    }

    [Fact]
    public async Task Over_http_an_out_of_range_exp_is_a_401_invalid_token()
    {
        await using var host = await JwtTestHost.StartAsync();

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + Token("99999999999999999999999")));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }
}
