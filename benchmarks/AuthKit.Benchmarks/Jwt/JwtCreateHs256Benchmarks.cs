using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using AuthKit;
using BenchmarkDotNet.Attributes;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>
/// HS256 access-token creation with the same header (alg, kid, typ at+jwt) and claims (iss, aud, sub, name, iat, nbf, exp, jti) everywhere.
/// AuthKit's <see cref="ITokenService.IssueAsync"/> also makes the jti (16 CSPRNG bytes); the peers get a fresh GUID each call.
/// </summary>
[Config(typeof(AuthKitBenchConfig))]
public class JwtCreateHs256Benchmarks
{
    private ITokenService _authKit = null!;
    private ClaimsPrincipal _principal = null!;
    private readonly JsonWebTokenHandler _jsonWebTokenHandler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly JwtSecurityTokenHandler _jwtSecurityTokenHandler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
    private readonly SigningCredentials _credentials = new(JwtBenchKeys.HsSecurityKey, SecurityAlgorithms.HmacSha256);
    private readonly Dictionary<string, object> _joseHeaders = new() { ["kid"] = JwtBenchKeys.HsKid, ["typ"] = "at+jwt" };
    private IDisposable? _services;

    [GlobalSetup]
    public void Setup()
    {
        (_authKit, _services) = AuthKitJwtBench.CreateTokenService(JwtBenchKeys.HsKid);
        _principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-42"), new Claim("name", "Ada Lovelace")], "bench", "name", "role"));
        AuthKitJwtBench.CheckAll(this);
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true, Description = "bare floor (Utf8JsonWriter + base64url + reused keyed HMAC)")]
    public string BareFloor() => JwtBareFloor.CreateHs256(JwtBenchKeys.Secret, JwtBenchKeys.HsKid, "user-42", JwtBenchKeys.Now, Guid.NewGuid().ToString("N"));

    [Benchmark(Description = "AuthKit ITokenService.IssueAsync (access token only)")]
    public async Task<string> AuthKit() => (await _authKit.IssueAsync(_principal)).AccessToken;

    [Benchmark(Description = "JsonWebTokenHandler.CreateToken")]
    public string JsonWebTokenHandler() => _jsonWebTokenHandler.CreateToken(Descriptor());

    [Benchmark(Description = "JwtSecurityTokenHandler.CreateEncodedJwt")]
    public string JwtSecurityTokenHandler() => _jwtSecurityTokenHandler.CreateEncodedJwt(Descriptor());

    /// <summary>The same header and claims for both Microsoft handlers, with a fresh jti per call.</summary>
    private SecurityTokenDescriptor Descriptor()
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = JwtBenchKeys.Issuer,
            Audience = JwtBenchKeys.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object> { ["sub"] = "user-42", ["name"] = "Ada Lovelace", ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = _credentials,
        };
    }

    [Benchmark(Description = "jose-jwt JWT.Encode")]
    public string JoseJwt()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = JwtBenchKeys.Issuer,
            ["aud"] = JwtBenchKeys.Audience,
            ["sub"] = "user-42",
            ["name"] = "Ada Lovelace",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 900,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        return JWT.Encode(payload, JwtBenchKeys.Secret, JwsAlgorithm.HS256, extraHeaders: _joseHeaders);
    }
}
