using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using AuthKit;
using BenchmarkDotNet.Attributes;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>HS256 validation of one token to claims, by every contender. What a Bearer request pays for the token itself.</summary>
[Config(typeof(AuthKitBenchConfig))]
public class JwtValidateHs256Benchmarks
{
    private string _token = null!;
    private ITokenService _authKit = null!;
    private readonly JsonWebTokenHandler _jsonWebTokenHandler = new() { MapInboundClaims = false };
    private readonly JwtSecurityTokenHandler _jwtSecurityTokenHandler = new() { MapInboundClaims = false };
    private TokenValidationParameters _parameters = null!;
    private IDisposable? _services;

    [GlobalSetup]
    public void Setup()
    {
        _token = JwtBenchKeys.Hs256Token(JwtBenchKeys.Now);
        (_authKit, _services) = AuthKitJwtBench.CreateTokenService(JwtBenchKeys.HsKid);
        _parameters = JwtBenchKeys.Parameters(JwtBenchKeys.HsSecurityKey, SecurityAlgorithms.HmacSha256);
        AuthKitJwtBench.CheckAll(this);
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true, Description = "bare floor (reused keyed HMAC + base64url + Utf8JsonReader)")]
    public string? BareFloor() => JwtBareFloor.Validate(_token, JwtBareFloor.Verifier.Hs256, JwtBenchKeys.Secret, null, JwtBenchKeys.Now);

    [Benchmark(Description = "one-shot HMAC floor (HMACSHA256.HashData re-keys every call)")]
    public string? OneShotFloor() => JwtBareFloor.Validate(_token, JwtBareFloor.Verifier.Hs256OneShot, JwtBenchKeys.Secret, null, JwtBenchKeys.Now);

    [Benchmark(Description = "AuthKit ITokenService.ValidateAsync → ClaimsPrincipal")]
    public async Task<ClaimsPrincipal?> AuthKit() => (await _authKit.ValidateAsync(_token)).Principal;

    [Benchmark(Description = "JsonWebTokenHandler.ValidateTokenAsync + ClaimsIdentity")]
    public async Task<ClaimsIdentity?> JsonWebTokenHandler()
    {
        var result = await _jsonWebTokenHandler.ValidateTokenAsync(_token, _parameters);
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    [Benchmark(Description = "JwtSecurityTokenHandler.ValidateToken → ClaimsPrincipal")]
    public ClaimsPrincipal JwtSecurityTokenHandler() => _jwtSecurityTokenHandler.ValidateToken(_token, _parameters, out _);

    [Benchmark(Description = "jose-jwt JWT.Decode<Dictionary> (signature only, no claim checks)")]
    public Dictionary<string, object> JoseJwt() => JWT.Decode<Dictionary<string, object>>(_token, JwtBenchKeys.Secret, JwsAlgorithm.HS256);
}
