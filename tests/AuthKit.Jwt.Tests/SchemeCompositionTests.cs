using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// AuthKit's JWT scheme composes with the framework's authentication: beside the framework's JwtBearer (scheme <c>Bearer</c>), and as two
/// schemes with different issuers in one app, each authenticating on its own endpoint with its own token service and token endpoints.
/// </summary>
public sealed class SchemeCompositionTests
{
    private const string Partner = "Partner";
    private const string FrameworkIssuer = "https://framework.test";
    private const string IssuerA = "https://a.test";
    private const string IssuerB = "https://b.test";

    // One HMAC secret for all three issuers, so that only the issuer check tells their tokens apart.
    private static readonly byte[] s_secret = HmacSecret[..32];

    private static async Task<IHost> StartAsync()
    {
        var host = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddAuthentication()
                        .AddJwtBearer(o =>
                        {
                            o.MapInboundClaims = false;
                            o.TokenValidationParameters = new TokenValidationParameters
                            {
                                ValidIssuer = FrameworkIssuer,
                                ValidAudience = FrameworkIssuer,
                                IssuerSigningKey = new SymmetricSecurityKey(s_secret) { KeyId = "shared" },
                                NameClaimType = "sub",
                            };
                        })
                        .AddAuthKitJwt(o =>
                        {
                            o.Issuer = IssuerA;
                            o.SigningKeys.Add(JwtSigningKey.FromSecret("shared", JwtAlgorithms.HS256, s_secret));
                        })
                        .AddAuthKitJwt(Partner, o =>
                        {
                            o.Issuer = IssuerB;
                            o.SigningKeys.Add(JwtSigningKey.FromSecret("shared", JwtAlgorithms.HS256, s_secret));
                        });
                    s.AddAuthorization();
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseEndpoints(e =>
                    {
                        e.MapGet("/framework", Hello).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme });
                        e.MapGet("/authkit", Hello).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtAuthenticationDefaults.AuthenticationScheme });
                        e.MapGet("/partner", Hello).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = Partner });
                        e.MapGet("/default", Hello).RequireAuthorization();
                        e.MapAuthKitTokenEndpoints("/a/token");
                        e.MapAuthKitTokenEndpoints("/b/token", Partner);
                    });
                }))
            .Build();
        await host.StartAsync(Ct);
        return host;
    }

    private static string Hello(ClaimsPrincipal user) => "hello " + user.Identity!.Name;

    private static string FrameworkToken(string user) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = FrameworkIssuer,
        Audience = FrameworkIssuer,
        Subject = new ClaimsIdentity([new Claim("sub", user)]),
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(s_secret) { KeyId = "shared" }, SecurityAlgorithms.HmacSha256),
    });

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(IHost host, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await host.GetTestClient().SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task JwtBearer_and_two_AuthKit_schemes_each_authenticate_their_own_tokens_on_their_own_endpoint()
    {
        using var host = await StartAsync();
        var tokens = new Dictionary<string, string>
        {
            ["/framework"] = FrameworkToken("fran"),
            ["/authkit"] = (await host.Services.GetRequiredKeyedService<ITokenService>(JwtAuthenticationDefaults.AuthenticationScheme).IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken,
            ["/partner"] = (await host.Services.GetRequiredKeyedService<ITokenService>(Partner).IssueAsync(User("bob"), cancellationToken: Ct)).AccessToken,
        };
        var names = new Dictionary<string, string> { ["/framework"] = "fran", ["/authkit"] = "alice", ["/partner"] = "bob" };

        foreach (var (endpoint, _) in tokens)
        {
            foreach (var (issuedFor, token) in tokens)
            {
                var (status, body) = await GetAsync(host, endpoint, token);
                if (endpoint == issuedFor)
                {
                    Assert.True(status == HttpStatusCode.OK, $"{endpoint} refused its own token: {status}");
                    Assert.Equal("hello " + names[endpoint], body);
                }
                else
                {
                    Assert.True(status == HttpStatusCode.Unauthorized, $"{endpoint} answered {status} to the token for {issuedFor}");
                }
            }
        }

        Assert.Contains("\"iss\":\"https://b.test\"", DecodeSegment(tokens["/partner"], 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_primary_scheme_keeps_the_unkeyed_token_service_and_the_AuthKit_policy_forwarding()
    {
        using var host = await StartAsync();

        Assert.Same(host.Services.GetRequiredService<ITokenService>(), host.Services.GetRequiredKeyedService<ITokenService>(JwtAuthenticationDefaults.AuthenticationScheme));
        Assert.NotSame(host.Services.GetRequiredService<ITokenService>(), host.Services.GetRequiredKeyedService<ITokenService>(Partner));
        var token = (await host.Services.GetRequiredService<ITokenService>().IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken;
        Assert.Equal((HttpStatusCode.OK, "hello alice"), await GetAsync(host, "/default", token));
    }

    [Fact]
    public async Task Each_schemes_token_endpoints_redeem_only_its_own_refresh_tokens_on_a_shared_store()
    {
        using var host = await StartAsync();
        var refreshA = (await host.Services.GetRequiredService<ITokenService>().IssueAsync(User("alice"), new TokenIssueOptions { IncludeRefreshToken = true }, Ct)).RefreshToken!;
        var client = host.GetTestClient();

        using var atB = await client.PostAsync("/b/token/refresh", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshA)]), Ct);
        using var atA = await client.PostAsync("/a/token/refresh", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshA)]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, atB.StatusCode);
        Assert.Equal("""{"error":"invalid_grant"}""", await atB.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, atA.StatusCode); // B's refusal left A's family alone
        using var json = JsonDocument.Parse(await atA.Content.ReadAsStringAsync(Ct));
        var access = json.RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "/authkit", access)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host, "/partner", access)).Status);
    }
}
