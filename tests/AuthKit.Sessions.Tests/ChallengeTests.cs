using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class ChallengeTests
{
    [Fact]
    public async Task Without_a_login_path_an_anonymous_request_gets_401_saying_how_to_sign_in()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        using var response = await GetAsync(client, "/me");
        using var again = await GetAsync(client, "/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Cookie realm=\"AuthKit\", cookie-name=\"__Host-authkit\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"title\":\"Sign-in required\"", body, StringComparison.Ordinal);
        Assert.Contains("\"status\":401", body, StringComparison.Ordinal);
        Assert.Contains("Sign in", body, StringComparison.Ordinal);
        Assert.Equal(1, app.Logs.Count(3017));
        Assert.Contains(app.Logs.Entries, e => e.EventId == 3017 && e.Message.Contains("AuthKit:Sessions:LoginPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_HEAD_challenge_carries_the_header_and_no_body()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapMethods("/head", ["HEAD"], () => "x").RequireAuthorization());
        using var client = app.Client();

        using var response = await SendAsync(client, HttpMethod.Head, "/head");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Cookie realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnRedirectToLogin_is_called_once_per_challenge_and_decides_the_answer()
    {
        var events = new Mock<SessionAuthenticationEvents> { CallBase = true };
        events.Setup(e => e.RedirectToLogin(It.IsAny<RedirectContext<SessionAuthenticationOptions>>()))
            .Returns<RedirectContext<SessionAuthenticationOptions>>(c =>
            {
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                c.Response.Headers["X-Login"] = c.RedirectUri;
                return Task.CompletedTask;
            });
        await using var app = await TestApp.StartAsync(o =>
        {
            o.LoginPath = "/signin";
            o.Events = events.Object;
        });
        using var client = app.Client();

        using var response = await GetAsync(client, "/me?x=1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("https://localhost/signin?ReturnUrl=%2Fme%3Fx%3D1", response.Headers.GetValues("X-Login").Single());
        events.Verify(e => e.RedirectToLogin(It.IsAny<RedirectContext<SessionAuthenticationOptions>>()), Times.Once);
    }

    [Fact]
    public async Task OnRedirectToAccessDenied_is_called_once_for_a_forbidden_request()
    {
        var events = new Mock<SessionAuthenticationEvents> { CallBase = true };
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AccessDeniedPath = "/denied";
                o.Events = events.Object;
            },
            map: a => a.MapGet("/admins", () => "ok").RequireAuthorization(p => p.RequireRole("admin")));
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");

        using var response = await GetAsync(client, "/admins", alice);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://localhost/denied?ReturnUrl=%2Fadmins", response.Headers.Location!.ToString());
        events.Verify(e => e.RedirectToAccessDenied(It.IsAny<RedirectContext<SessionAuthenticationOptions>>()), Times.Once);
        events.Verify(e => e.RedirectToLogin(It.IsAny<RedirectContext<SessionAuthenticationOptions>>()), Times.Never);
    }

    [Fact]
    public async Task Events_from_DI_through_EventsType_replace_the_script_request_check()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.LoginPath = "/signin";
                o.EventsType = typeof(ApiAwareEvents);
            },
            build: b => b.Services.AddSingleton<ApiAwareEvents>());
        using var client = app.Client();

        using var api = await GetAsync(client, "/me?api=1");
        using var page = await GetAsync(client, "/me");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    internal sealed class ApiAwareEvents : SessionAuthenticationEvents
    {
        public override Task RedirectToLogin(RedirectContext<SessionAuthenticationOptions> context)
        {
            if (context.Request.Query.ContainsKey("api"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            return base.RedirectToLogin(context);
        }
    }
}
