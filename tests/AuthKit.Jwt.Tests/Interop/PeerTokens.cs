using System.Security.Claims;
using System.Text.Json;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Jwt.Tests.Interop;

/// <summary>The claims every interop token carries, whoever issues it.</summary>
internal sealed record InteropClaims(string Issuer, string Audience, string Subject, DateTimeOffset IssuedAt, DateTimeOffset Expires)
{
    public const string AccessTokenType = "at+jwt";

    public static InteropClaims At(DateTimeOffset now) =>
        new("https://issuer.interop.test", "https://api.interop.test", "user-42", now, now.AddMinutes(30));
}

/// <summary>Tokens issued, and tokens validated, by the peers: Microsoft.IdentityModel.JsonWebTokens and jose-jwt.</summary>
internal static class PeerTokens
{
    /// <summary>A token from <see cref="JsonWebTokenHandler.CreateToken(SecurityTokenDescriptor)"/>: typ at+jwt, kid, iss, aud, sub, iat, nbf, exp, jti.</summary>
    public static string IssueWithJsonWebTokenHandler(PeerKey key, InteropClaims claims)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = claims.Issuer,
            Audience = claims.Audience,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            NotBefore = claims.IssuedAt.UtcDateTime,
            Expires = claims.Expires.UtcDateTime,
            TokenType = InteropClaims.AccessTokenType,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = claims.Subject,
                ["jti"] = "mi-" + Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = key.ToSigningCredentials(),
        });
    }

    /// <summary>A token from <c>Jose.JWT.Encode</c>, with the same header and claims.</summary>
    public static string IssueWithJoseJwt(PeerKey key, InteropClaims claims)
    {
        var payload = new Dictionary<string, object>
        {
            ["iss"] = claims.Issuer,
            ["aud"] = claims.Audience,
            ["sub"] = claims.Subject,
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["nbf"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["exp"] = claims.Expires.ToUnixTimeSeconds(),
            ["jti"] = "jose-" + Guid.NewGuid().ToString("N"),
        };
        var headers = new Dictionary<string, object>
        {
            ["typ"] = InteropClaims.AccessTokenType,
            ["kid"] = key.KeyId,
        };
        return JWT.Encode(payload, key.ToJoseKey(privateKey: true), key.JoseAlgorithm, extraHeaders: headers);
    }

    /// <summary>Validates with <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> against the public key only.</summary>
    public static async Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> ValidateWithJsonWebTokenHandlerAsync(string token, PeerKey key, InteropClaims claims)
    {
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        return await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = claims.Issuer,
            ValidAudience = claims.Audience,
            IssuerSigningKey = key.ToSecurityKey(privateKey: false),
            ValidAlgorithms = [key.Algorithm],
            ValidTypes = [InteropClaims.AccessTokenType],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
    }

    /// <summary>
    /// Verifies with <c>Jose.JWT.Decode</c> (signature only: jose-jwt leaves claims to the caller), pinned to the expected algorithm,
    /// and returns the payload and header as JSON documents.
    /// </summary>
    public static (JsonDocument Header, JsonDocument Payload) ValidateWithJoseJwt(string token, PeerKey key)
    {
        var payload = JWT.Decode(token, key.ToJoseKey(privateKey: false), key.JoseAlgorithm);
        var header = JsonSerializer.Serialize(JWT.Headers(token));
        return (JsonDocument.Parse(header), JsonDocument.Parse(payload));
    }

    public static ClaimsPrincipal Principal(InteropClaims claims) =>
        new(new ClaimsIdentity([new Claim("sub", claims.Subject), new Claim(ClaimTypes.NameIdentifier, claims.Subject), new Claim("name", "Ada")], "interop"));
}
