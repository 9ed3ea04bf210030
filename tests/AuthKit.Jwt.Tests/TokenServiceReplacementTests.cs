using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>An app that replaces <see cref="ITokenService"/> sees the bearer handler and the token endpoints use its replacement.</summary>
public sealed class TokenServiceReplacementTests
{
    private const string Partner = "Partner";

    private static async Task<IHost> StartAsync(Action<IServiceCollection> replace)
    {
        var host = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddAuthKit()
                        .AddJwt(o =>
                        {
                            o.Issuer = Issuer;
                            o.SigningKeys.Add(For(JwtAlgorithms.HS256));
                        })
                        .AddJwt(Partner, o =>
                        {
                            o.Issuer = "https://partner.test";
                            o.SigningKeys.Add(For(JwtAlgorithms.HS256));
                        });
                    replace(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthKit();
                    app.UseEndpoints(e =>
                    {
                        e.MapGet("/primary", (ClaimsPrincipal u) => "hello " + u.Identity!.Name)
                            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtAuthenticationDefaults.AuthenticationScheme });
                        e.MapGet("/partner", (ClaimsPrincipal u) => "hello " + u.Identity!.Name)
                            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = Partner });
                        e.MapAuthKitTokenEndpoints();
                        e.MapAuthKitTokenEndpoints("/partner/token", Partner);
                    });
                }))
            .Build();
        await host.StartAsync(Ct);
        return host;
    }

    private static Mock<ITokenService> Replacement(string acceptedToken, string userName)
    {
        var mock = new Mock<ITokenService>(MockBehavior.Strict);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userName)], "mock", "sub", "role"));
        mock.Setup(t => t.ValidateAsync(acceptedToken, It.IsAny<CancellationToken>()))
            .ReturnsAsync(AccessTokenValidationResult.Success(principal, "mock-jti", DateTimeOffset.UtcNow.AddMinutes(5)));
        mock.Setup(t => t.RefreshAsync("mock-refresh", It.IsAny<CancellationToken>()))
            .ReturnsAsync(TokenRefreshResult.Success(new IssuedTokens
            {
                AccessToken = "mock-access",
                TokenId = "mock-jti",
                AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
                RefreshToken = "mock-refresh-2",
            }));
        mock.Setup(t => t.RevokeRefreshTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        return mock;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(IHost host, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await host.GetTestClient().SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(IHost host, string path, params (string, string)[] fields)
    {
        using var response = await host.GetTestClient().PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_replaced_ITokenService_is_used_by_the_bearer_handler_and_the_token_endpoints()
    {
        var mock = Replacement("opaque-access", "mocked-user");
        using var host = await StartAsync(s => s.AddSingleton(mock.Object));
        var refreshLike = new string('A', 43) + "." + new string('B', 43);

        var me = await GetAsync(host, "/primary", "opaque-access");
        var refreshed = await PostAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", "mock-refresh"));
        var revoked = await PostAsync(host, "/auth/token/revoke", ("token", refreshLike));

        Assert.Equal((HttpStatusCode.OK, "hello mocked-user"), me);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Contains("\"access_token\":\"mock-access\"", refreshed.Body, StringComparison.Ordinal);
        Assert.Contains("\"refresh_token\":\"mock-refresh-2\"", refreshed.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        mock.Verify(t => t.ValidateAsync("opaque-access", It.IsAny<CancellationToken>()), Times.Once);
        mock.Verify(t => t.RefreshAsync("mock-refresh", It.IsAny<CancellationToken>()), Times.Once);
        mock.Verify(t => t.RevokeRefreshTokenAsync(refreshLike, It.IsAny<CancellationToken>()), Times.Once);
        mock.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_replaced_ITokenService_gets_the_bearer_token_without_the_spaces_around_it()
    {
        var mock = Replacement("opaque-access", "mocked-user");
        using var host = await StartAsync(s => s.AddSingleton(mock.Object));

        var me = await GetAsync(host, "/primary", "   opaque-access  ");

        Assert.Equal((HttpStatusCode.OK, "hello mocked-user"), me);
        mock.Verify(t => t.ValidateAsync("opaque-access", It.IsAny<CancellationToken>()), Times.Once);
        mock.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_keyed_replacement_serves_its_scheme_only()
    {
        var mock = Replacement("opaque-partner", "partner-user");
        using var host = await StartAsync(s => s.AddKeyedSingleton(Partner, mock.Object));
        var real = (await host.Services.GetRequiredService<ITokenService>().IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken;

        Assert.Equal((HttpStatusCode.OK, "hello partner-user"), await GetAsync(host, "/partner", "opaque-partner"));
        Assert.Equal((HttpStatusCode.OK, "hello alice"), await GetAsync(host, "/primary", real));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "/partner/token/refresh", ("refresh_token", "mock-refresh"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(host, "/auth/token/refresh", ("refresh_token", "mock-refresh"))).Status);

        Assert.IsType<JwtTokenService>(host.Services.GetRequiredService<ITokenService>());
        mock.Verify(t => t.ValidateAsync("opaque-partner", It.IsAny<CancellationToken>()), Times.Once);
        mock.Verify(t => t.RefreshAsync("mock-refresh", It.IsAny<CancellationToken>()), Times.Once);
        mock.VerifyNoOtherCalls();
    }
}
