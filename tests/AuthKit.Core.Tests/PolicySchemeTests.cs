using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace AuthKit.Core.Tests;

public sealed class PolicySchemeTests
{
    private static async Task<WebApplication> StartAsync(bool bearer, bool basic, bool session, Action? hit = null, IClaimsTransformation? transformation = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(new CountingHandler.Counter(hit ?? (() => { })));
        if (transformation is not null)
        {
            builder.Services.AddSingleton(transformation);
        }

        var auth = builder.Services.AddAuthKit().Services.AddAuthentication();
        builder.Services.Configure<AuthKitForwardingOptions>(o =>
        {
            if (bearer)
            {
                o.BearerScheme = "FakeBearer";
            }

            if (basic)
            {
                o.BasicScheme = "FakeBasic";
            }

            if (session)
            {
                o.DefaultScheme = "FakeSession";
            }
        });
        foreach (var name in new[] { "FakeBearer", "FakeBasic", "FakeSession" })
        {
            auth.AddScheme<AuthenticationSchemeOptions, CountingHandler>(name, null);
        }

        builder.Services.AddAuthorization(o => o.AddPolicy("BasicPolicy", p => p.AddAuthenticationSchemes("FakeBasic").RequireAuthenticatedUser()));
        var app = builder.Build();
        app.UseAuthKit();
        app.MapGet("/who", (HttpContext c) => c.User.Identity?.Name ?? "anonymous");
        // What the AuthKit policy scheme itself picks on each endpoint (authorization may authenticate the endpoint's schemes on top).
        var picked = (Delegate)(async (HttpContext c) => (await c.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme)).Principal?.Identity?.Name ?? "anonymous");
        app.MapGet("/asks-nothing", picked).RequireAuthorization();
        app.MapGet("/asks-basic-attribute", picked).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "FakeBearer, FakeBasic" });
        app.MapGet("/asks-basic-policy", picked).RequireAuthorization(p => p.AddAuthenticationSchemes("FakeBasic").RequireAuthenticatedUser());
        app.MapGet("/asks-basic-named-policy", picked).RequireAuthorization("BasicPolicy");
        app.MapGet("/protected", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization();
        app.MapGet("/asks-again", async (HttpContext c) =>
        {
            var again = await c.AuthenticateAsync(AuthKitDefaults.AuthenticationScheme);
            var target = await c.AuthenticateAsync("FakeSession");
            return $"{c.User.Identity!.Name} {again.Principal?.Identity?.Name} {target.Principal?.Identity?.Name}";
        }).RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    [Theory]
    [InlineData("Bearer abc", "FakeBearer")]
    [InlineData("bearer abc", "FakeBearer")]
    [InlineData("Basic YTpi", "FakeSession")]
    [InlineData("BASIC YTpi", "FakeSession")]
    [InlineData("Negotiate xyz", "FakeSession")]
    [InlineData("Bearerish abc", "FakeSession")]
    [InlineData(null, "FakeSession")]
    public async Task Requests_are_forwarded_by_their_Authorization_header(string? authorization, string expected)
    {
        await using var app = await StartAsync(bearer: true, basic: true, session: true);
        var request = new HttpRequestMessage(HttpMethod.Get, "/who");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Without_a_matching_scheme_the_request_is_anonymous_and_protected_endpoints_answer_401()
    {
        await using var app = await StartAsync(bearer: false, basic: false, session: false);
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "abc");
        Assert.Equal("anonymous", await client.GetStringAsync("/who", TestContext.Current.CancellationToken));
        var response = await client.GetAsync("/protected", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(false, true, null, "FakeBasic")]
    [InlineData(true, false, null, "FakeBearer")]
    [InlineData(true, true, "Bearer x", "FakeBearer")]
    public async Task Without_a_session_scheme_requests_without_a_header_go_to_basic_then_bearer(bool bearer, bool basic, string? authorization, string expected)
    {
        await using var app = await StartAsync(bearer, basic, session: false);
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Add("X-NoAuth", "1");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(expected, response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/asks-nothing", "FakeSession")]
    [InlineData("/asks-basic-attribute", "FakeBasic")]
    [InlineData("/asks-basic-policy", "FakeBasic")]
    [InlineData("/asks-basic-named-policy", "FakeBasic")]
    public async Task With_a_session_scheme_Basic_is_picked_only_on_endpoints_that_ask_for_it(string path, string expected)
    {
        await using var app = await StartAsync(bearer: true, basic: true, session: true);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic YTpi");

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_browser_that_answered_a_Basic_prompt_keeps_its_cookie_identity_on_other_pages()
    {
        await using var app = await StartAsync(bearer: true, basic: true, session: true);
        var request = new HttpRequestMessage(HttpMethod.Get, "/who");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic YWRtaW46eA==");

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("FakeSession", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Basic YTpi", "FakeSession")]
    [InlineData("Bearer abc", "FakeBearer")]
    [InlineData(null, "FakeSession")]
    public async Task Challenge_goes_to_the_scheme_the_request_selects(string? authorization, string expected)
    {
        await using var app = await StartAsync(bearer: true, basic: true, session: true);
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Add("X-NoAuth", "1");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(expected, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_selected_scheme_authenticates_once_per_request_however_often_the_request_asks()
    {
        var hits = 0;
        await using var app = await StartAsync(bearer: true, basic: true, session: true, hit: () => Interlocked.Increment(ref hits));

        var body = await app.GetTestClient().GetStringAsync("/asks-again", TestContext.Current.CancellationToken);

        Assert.Equal("FakeSession FakeSession FakeSession", body);
        Assert.Equal(1, hits);
    }

    [Fact]
    public async Task Claims_transformation_runs_once_for_a_forwarded_request()
    {
        var transformation = new Mock<IClaimsTransformation>();
        transformation.Setup(t => t.TransformAsync(It.IsAny<ClaimsPrincipal>())).Returns((ClaimsPrincipal p) => Task.FromResult(p));
        await using var app = await StartAsync(bearer: true, basic: true, session: true, transformation: transformation.Object);
        var request = new HttpRequestMessage(HttpMethod.Get, "/asks-again");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");

        var response = await app.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("FakeBearer FakeBearer FakeSession", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        transformation.Verify(t => t.TransformAsync(It.Is<ClaimsPrincipal>(p => p.Identity!.Name == "FakeBearer")), Times.Once());
    }
}
