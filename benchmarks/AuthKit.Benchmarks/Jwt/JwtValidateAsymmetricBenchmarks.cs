using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using AuthKit;
using BenchmarkDotNet.Attributes;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>RS256 and ES256 validation: the signature check dominates, so every contender should sit near the bare VerifyData floor.</summary>
[Config(typeof(AuthKitBenchConfig))]
public class JwtValidateAsymmetricBenchmarks
{
    private string _token = null!;
    private ITokenService _authKit = null!;
    private readonly JsonWebTokenHandler _jsonWebTokenHandler = new() { MapInboundClaims = false };
    private readonly JwtSecurityTokenHandler _jwtSecurityTokenHandler = new() { MapInboundClaims = false };
    private TokenValidationParameters _parameters = null!;
    private AsymmetricAlgorithm _key = null!;
    private JwsAlgorithm _joseAlgorithm;
    private JwtBareFloor.Verifier _verifier;
    private IDisposable? _services;

    [Params("RS256", "ES256")]
    public string Algorithm { get; set; } = "RS256";

    [GlobalSetup]
    public void Setup()
    {
        var now = JwtBenchKeys.Now;
        if (Algorithm == "RS256")
        {
            _token = JwtBenchKeys.Rs256Token(now);
            (_authKit, _services) = AuthKitJwtBench.CreateTokenService(JwtBenchKeys.RsKid);
            _parameters = JwtBenchKeys.Parameters(JwtBenchKeys.RsSecurityKey, SecurityAlgorithms.RsaSha256);
            _key = JwtBenchKeys.Rsa;
            _joseAlgorithm = JwsAlgorithm.RS256;
            _verifier = JwtBareFloor.Verifier.Rs256;
        }
        else
        {
            _token = JwtBenchKeys.Es256Token(now);
            (_authKit, _services) = AuthKitJwtBench.CreateTokenService(JwtBenchKeys.EsKid);
            _parameters = JwtBenchKeys.Parameters(JwtBenchKeys.EsSecurityKey, SecurityAlgorithms.EcdsaSha256);
            _key = JwtBenchKeys.ECDsa;
            _joseAlgorithm = JwsAlgorithm.ES256;
            _verifier = JwtBareFloor.Verifier.Es256;
        }

        AuthKitJwtBench.CheckAll(this);
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true, Description = "bare floor (VerifyData + base64url + Utf8JsonReader)")]
    public string? BareFloor() => JwtBareFloor.Validate(_token, _verifier, null, _key, JwtBenchKeys.Now);

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
    public Dictionary<string, object> JoseJwt() => JWT.Decode<Dictionary<string, object>>(_token, _key, _joseAlgorithm);
}
