using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using AuthKit.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Basic.Tests;

/// <summary>Two app instances (their own containers and Kestrel ports) sharing one Redis store: the throttle counts for both.</summary>
public sealed class BasicSharedThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_sharing_a_store_throttle_together_and_neither_cache_answers_a_throttled_guesser()
    {
        var redis = await RedisTestServer.GetSharedAsync();
        var prefix = RedisTestServer.UniquePrefix("basic-throttle");
        await using var a = await StartAsync(redis, prefix);
        await using var b = await StartAsync(redis, prefix);
        using var http = new HttpClient();

        // Alice signs in on A from her usual address: A's cache is hot and the address is one of her known clients.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, a, "203.0.113.7", "alice", "correct horse"));

        // The attacker spreads 4 guesses (the limit) over both instances...
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(http, i % 2 == 0 ? a : b, "198.51.100.66", "alice", "guess" + i));
        }

        // ...and both refuse the next one, the right password included, even on A where it is in the verified cache.
        foreach (var app in new[] { a, b })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(http, app, "198.51.100.66", "alice", "guess9"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(http, app, "198.51.100.66", "alice", "correct horse"));
        }

        // Alice's known client still works on both: from A's cache, and through B's validator.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, b, "203.0.113.7", "alice", "correct horse"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(http, a, "203.0.113.7", "alice", "correct horse"));
        Assert.Equal(6, a.Users.Calls + b.Users.Calls);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, Instance app, string client, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, app.Address + "/protected");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<Instance> StartAsync(RedisTestServer redis, string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<TestUsers>();
        builder.Services.Configure<CredentialThrottleOptions>(o => o.MaxFailuresPerUser = 4);
        builder.Services.AddAuthKit(o => o.AllowInsecureHttp = true)
            .UseRedisSessionStore(o =>
            {
                o.Configuration = redis.ConnectionString;
                o.KeyPrefix = prefix;
            })
            // The test talks plain HTTP to 127.0.0.1 (AllowInsecureHttp above); the client addresses come from X-Forwarded-For (a trusted loopback proxy).
            .AddBasic<TestValidator>();
        var app = builder.Build();
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
        app.UseAuthKit();
        app.MapGet("/protected", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Instance(app, address, app.Services.GetRequiredService<TestUsers>());
    }

    private sealed record Instance(WebApplication App, string Address, TestUsers Users) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }
}
