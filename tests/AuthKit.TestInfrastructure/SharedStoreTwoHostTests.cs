using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AuthKit.TestInfrastructure;

/// <summary>
/// Two app instances (separate DI containers, separate Kestrel ports on 127.0.0.1) sharing one session store: a session
/// signed in on one is recognised on the other, and signing out on either ends it on both. A store's test project derives
/// from this class and says how to register the shared store and how many records it holds.
/// </summary>
public abstract class SharedStoreTwoHostTests
{
    private readonly string _sharedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Prepares the shared medium (connects to a server, say) before the hosts start.</summary>
    protected virtual Task PrepareSharedStoreAsync() => Task.CompletedTask;

    /// <summary>Registers the shared store (and whatever it needs, such as an <c>IDistributedCache</c>) on one instance.</summary>
    protected abstract void UseSharedStore(AuthKitBuilder authKit);

    /// <summary>How many session records the shared store holds now, read from the store's own medium.</summary>
    protected abstract Task<int> CountStoredRecordsAsync();

    [Fact]
    public async Task Sign_in_on_one_host_is_recognised_on_the_other_and_sign_out_on_either_ends_it_on_both()
    {
        await PrepareSharedStoreAsync();
        await using var a = await StartHostAsync();
        await using var b = await StartHostAsync();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        Assert.NotEqual(a.Address, b.Address);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(a.Address + "/me", Ct)).StatusCode);

        using var login = await client.PostAsync(a.Address + "/login", null, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await CountStoredRecordsAsync());

        Assert.Equal("alice", await GetMeAsync(client, b.Address, cookie, HttpStatusCode.OK));
        Assert.Equal("alice", await GetMeAsync(client, a.Address, cookie, HttpStatusCode.OK));

        using (var logout = new HttpRequestMessage(HttpMethod.Post, b.Address + "/logout"))
        {
            logout.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(logout, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var expired = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith(cookie[..(cookie.IndexOf('=', StringComparison.Ordinal) + 1)], expired, StringComparison.Ordinal);
            Assert.Contains("expires=Thu, 01 Jan 1970", expired, StringComparison.OrdinalIgnoreCase);
        }

        // The old cookie is dead on both instances: the record is gone from the shared store.
        await GetMeAsync(client, a.Address, cookie, HttpStatusCode.Unauthorized);
        await GetMeAsync(client, b.Address, cookie, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountStoredRecordsAsync());
    }

    private static async Task<string> GetMeAsync(HttpClient client, string address, string cookie, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address + "/me");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task<Host> StartHostAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var authKit = builder.Services.AddAuthKit(o =>
            {
                o.ApplicationName = "two-hosts";
                o.Keys.Add(new AuthKitKeyOptions { KeyId = "shared", Secret = _sharedKey });
            })
            .AddSessions();
        UseSharedStore(authKit);
        var app = builder.Build();
        app.UseAuthKit();
        app.MapPost("/login", async (HttpContext context) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim(ClaimTypes.Name, "alice")], "test");
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return "signed in";
        });
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return "signed out";
        });
        app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Host(app, address);
    }

    private sealed record Host(WebApplication App, string Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }
}
