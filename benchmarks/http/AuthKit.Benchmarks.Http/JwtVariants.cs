using System.Security.Claims;
using System.Security.Cryptography;
using AuthKit;
using AuthKit.Jwt;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace AuthKit.Benchmarks.Http;

/// <summary>
/// Bearer-authenticated endpoints, one per scheme, both with the same HS256 key and the same token:
/// <c>/jwt/authkit</c> (AuthKit's JWT scheme) and <c>/jwt/framework</c> (Microsoft.AspNetCore.Authentication.JwtBearer).
/// At start-up the host issues one access token with AuthKit and writes it to <c>$TMPDIR/authkit-bench-jwt.token</c>
/// (also served at <c>GET /jwt/token</c>); <c>benchmarks/http/jwt.lua</c> sends it.
/// </summary>
internal static partial class BenchVariants
{
    private const string FrameworkScheme = "FrameworkBearer";
    private const string Issuer = "https://issuer.bench.test";
    private const string Audience = "https://api.bench.test";
    private const string Kid = "bench-hs256";

    // A fixed benchmark secret, the same for both schemes.
    private static readonly byte[] s_secret = SHA256.HashData("authkit-benchmark-hs256-secret"u8);

    private static string? s_token;

    public static string JwtTokenFile => Path.Combine(Path.GetTempPath(), "authkit-bench-jwt.token");

    static partial void ConfigureJwtServices(IServiceCollection services)
    {
        services.AddAuthKit().AddJwt(o =>
        {
            o.Issuer = Issuer;
            o.Audience = Audience;
            o.SigningKeys.Add(JwtSigningKey.FromSecret(Kid, JwtAlgorithms.HS256, s_secret));
            o.AccessTokenLifetime = TimeSpan.FromHours(12);
        });

        // The framework's handler with the same checks: issuer, audience, lifetime (30 s skew), HS256 only, typ at+jwt; otherwise its defaults.
        services.AddAuthentication().AddJwtBearer(FrameworkScheme, o =>
        {
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = new SymmetricSecurityKey(s_secret) { KeyId = Kid },
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidTypes = ["at+jwt"],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });

        // Each path authenticates once, with its own scheme, through the same default AuthKit policy scheme (which forwards
        // Bearer requests to AuthKit's JWT scheme): for /jwt/framework it forwards to JwtBearer instead, so neither path pays for the other.
        services.PostConfigure<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme, o =>
        {
            var inner = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/jwt/framework", StringComparison.Ordinal) ? FrameworkScheme : inner?.Invoke(context);
        });
    }

    static partial void MapJwt(WebApplication app)
    {
        app.MapGet("/jwt/authkit", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        app.MapGet("/jwt/framework", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        app.MapGet("/jwt/token", () => s_token is null ? Results.StatusCode(503) : Results.Text(s_token));
        app.Lifetime.ApplicationStarted.Register(() => _ = IssueBenchTokenAsync(app.Services));
    }

    private static async Task IssueBenchTokenAsync(IServiceProvider services)
    {
        var tokens = services.GetRequiredService<ITokenService>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-42"), new Claim("name", "Ada Lovelace")], "bench"));
        var issued = await tokens.IssueAsync(principal).ConfigureAwait(false);
        await File.WriteAllTextAsync(JwtTokenFile, issued.AccessToken).ConfigureAwait(false);
        s_token = issued.AccessToken;
    }
}
