using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Core.Tests;

/// <summary><c>UseAuthKit()</c> turns a store failure that escapes an endpoint into a 503, never a 500.</summary>
public sealed class StoreFailureMiddlewareTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthKit();
        var app = builder.Build();
        app.UseAuthKit();

        // As an app's form login does when the throttle's shared store is down.
        app.MapPost("/login", async (ICredentialThrottle throttle, HttpContext http) =>
        {
            await using var attempt = await throttle.TryAcquireAsync("alice", http, http.RequestAborted);
            throw new SessionStoreException("Connection refused (127.0.0.1:6379)");
        });
        app.MapGet("/bug", string () => throw new InvalidOperationException("the app's own bug"));
        await app.StartAsync(Ct);
        return app;
    }

    [Fact]
    public async Task A_store_failure_in_an_endpoint_is_a_503_with_Retry_After()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync("/login", null, Ct);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues(HeaderNames.RetryAfter).Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task The_apps_own_exceptions_pass_through_untouched()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("/bug", Ct));
        Assert.Equal("the app's own bug", ex.Message);
    }
}
