using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using AuthKit.Benchmarks.Jwt;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>The JWT contenders, each validating (or writing) the same neutral bytes as in the BenchmarkDotNet classes of <c>Jwt/</c>.</summary>
internal static class JwtSuites
{
    public const string Floor = "bare floor";
    public const string OneShotFloor = "floor with one-shot HMAC";
    public const string PrincipalFloor = "floor + the same principal";
    public const string AuthKit = "AuthKit";
    public const string JsonWebTokenHandler = "JsonWebTokenHandler";
    public const string JwtSecurityTokenHandler = "JwtSecurityTokenHandler";
    public const string Jose = "jose-jwt (signature only)";

    public static (List<Contender> Contenders, IDisposable Services) Validate(string algorithm)
    {
        var now = JwtBenchKeys.Now;
        var (token, kid, parameters, verifier, key, joseAlgorithm, joseKey) = algorithm switch
        {
            "HS256" => (JwtBenchKeys.Hs256Token(now), JwtBenchKeys.HsKid, JwtBenchKeys.Parameters(JwtBenchKeys.HsSecurityKey, SecurityAlgorithms.HmacSha256),
                JwtBareFloor.Verifier.Hs256, (AsymmetricAlgorithm?)null, JwsAlgorithm.HS256, (object)JwtBenchKeys.Secret),
            "RS256" => (JwtBenchKeys.Rs256Token(now), JwtBenchKeys.RsKid, JwtBenchKeys.Parameters(JwtBenchKeys.RsSecurityKey, SecurityAlgorithms.RsaSha256),
                JwtBareFloor.Verifier.Rs256, JwtBenchKeys.Rsa, JwsAlgorithm.RS256, JwtBenchKeys.Rsa),
            _ => (JwtBenchKeys.Es256Token(now), JwtBenchKeys.EsKid, JwtBenchKeys.Parameters(JwtBenchKeys.EsSecurityKey, SecurityAlgorithms.EcdsaSha256),
                JwtBareFloor.Verifier.Es256, JwtBenchKeys.ECDsa, JwsAlgorithm.ES256, JwtBenchKeys.ECDsa),
        };
        var (service, services) = AuthKitJwtBench.CreateTokenService(kid);
        var jsonWebTokenHandler = new JsonWebTokenHandler { MapInboundClaims = false };
        var jwtSecurityTokenHandler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        var secret = JwtBenchKeys.Secret;
        var list = new List<Contender>
        {
            Contender.Sync(Floor, () => JwtBareFloor.Validate(token, verifier, secret, key, JwtBenchKeys.Now)),
        };
        if (algorithm == "HS256")
        {
            list.Add(Contender.Sync(OneShotFloor, () => JwtBareFloor.Validate(token, JwtBareFloor.Verifier.Hs256OneShot, secret, null, JwtBenchKeys.Now)));
            list.Add(Contender.Sync(PrincipalFloor, () => JwtBareFloor.ValidateToPrincipal(token, verifier, secret, null, JwtBenchKeys.Now)));
        }

        list.Add(Contender.Async(AuthKit, async () => (await service.ValidateAsync(token).ConfigureAwait(false)).Principal is not null));
        list.Add(Contender.Async(JsonWebTokenHandler, async () =>
        {
            var result = await jsonWebTokenHandler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
            return result.IsValid && result.ClaimsIdentity is not null;
        }));
        list.Add(Contender.Sync(JwtSecurityTokenHandler, () => jwtSecurityTokenHandler.ValidateToken(token, parameters, out _)));
        list.Add(Contender.Sync(Jose, () => JWT.Decode<Dictionary<string, object>>(token, joseKey, joseAlgorithm)));
        return (list, services);
    }

    public static (List<Contender> Contenders, IDisposable Services) CreateHs256()
    {
        var (service, services) = AuthKitJwtBench.CreateTokenService(JwtBenchKeys.HsKid);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-42"), new Claim("name", "Ada Lovelace")], "bench", "name", "role"));
        var jsonWebTokenHandler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var credentials = new SigningCredentials(JwtBenchKeys.HsSecurityKey, SecurityAlgorithms.HmacSha256);
        var list = new List<Contender>
        {
            Contender.Sync(Floor, () => JwtBareFloor.CreateHs256(JwtBenchKeys.Secret, JwtBenchKeys.HsKid, "user-42", JwtBenchKeys.Now, Guid.NewGuid().ToString("N"))),
            Contender.Async(AuthKit, async () => (await service.IssueAsync(principal).ConfigureAwait(false)).AccessToken is not null),
            Contender.Sync(JsonWebTokenHandler, () =>
            {
                var now = DateTime.UtcNow;
                return jsonWebTokenHandler.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = JwtBenchKeys.Issuer,
                    Audience = JwtBenchKeys.Audience,
                    IssuedAt = now,
                    NotBefore = now,
                    Expires = now.AddMinutes(15),
                    TokenType = "at+jwt",
                    Claims = new Dictionary<string, object> { ["sub"] = "user-42", ["name"] = "Ada Lovelace", ["jti"] = Guid.NewGuid().ToString("N") },
                    SigningCredentials = credentials,
                });
            }),
        };
        return (list, services);
    }
}
