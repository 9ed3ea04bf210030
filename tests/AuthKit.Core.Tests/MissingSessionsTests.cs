using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Core.Tests;

/// <summary>With AuthKit.Core alone there is no session: the errors say which package and call to add, never an internal scheme.</summary>
public sealed class MissingSessionsTests
{
    [Fact]
    public async Task Signing_in_without_a_session_scheme_names_the_package_and_the_call_to_add()
    {
        await using var app = await StartAsync();

        var message = await app.GetTestClient().GetStringAsync("/sign-in", TestContext.Current.CancellationToken);

        Assert.Contains("AuthKit.Sessions", message, StringComparison.Ordinal);
        Assert.Contains(".AddSessions()", message, StringComparison.Ordinal);
        Assert.DoesNotContain("AuthKit.None", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_without_a_session_scheme_names_the_package_and_the_call_to_add()
    {
        await using var app = await StartAsync();

        var message = await app.GetTestClient().GetStringAsync("/sign-out", TestContext.Current.CancellationToken);

        Assert.Contains(".AddSessions()", message, StringComparison.Ordinal);
        Assert.DoesNotContain("AuthKit.None", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Touching_HttpContext_Session_without_sessions_names_the_package_and_the_call_to_add()
    {
        await using var app = await StartAsync();

        var message = await app.GetTestClient().GetStringAsync("/session", TestContext.Current.CancellationToken);

        Assert.Contains("AuthKit.Sessions", message, StringComparison.Ordinal);
        Assert.Contains(".AddSessions()", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_frameworks_own_session_middleware_before_UseAuthKit_is_left_alone()
    {
        await using var app = await StartAsync(frameworkSession: true);

        var message = await app.GetTestClient().GetStringAsync("/session", TestContext.Current.CancellationToken);

        Assert.Equal("available", message);
    }

    private static async Task<WebApplication> StartAsync(bool frameworkSession = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthKit();
        if (frameworkSession)
        {
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddSession();
        }

        var app = builder.Build();
        if (frameworkSession)
        {
            app.UseSession();
        }

        app.UseAuthKit();
        app.MapGet("/sign-in", (Func<HttpContext, Task<string>>)(c => Capture(() => c.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"))))));
        app.MapGet("/sign-out", (Func<HttpContext, Task<string>>)(c => Capture(() => c.SignOutAsync())));
        app.MapGet("/session", (Func<HttpContext, Task<string>>)(c => Capture(
            () =>
            {
                c.Session.SetString("a", "1");
                return Task.CompletedTask;
            },
            "available")));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task<string> Capture(Func<Task> action, string ok = "no error")
    {
        try
        {
            await action();
            return ok;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
