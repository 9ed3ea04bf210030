using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>
/// The browser sequence of the review: signed in as alice with the cookie, the browser answers /admin's Basic prompt as admin and
/// from then on sends Basic with every request. HttpContext.User, HttpContext.Session and ISessionManager must name one user.
/// </summary>
public sealed class OneIdentityPerRequestTests
{
    [Fact]
    public async Task A_request_authenticated_by_Basic_as_another_user_gets_neither_the_cookie_session_nor_its_data()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", alice)).Dispose();

        using var admin = await SendAsync(client, "/admin", alice, FakeBasicHandler.Header("admin"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("user=admin cart=(none) current=(none) listed=0", await Body(admin));
        using var aliceCart = await GetAsync(client, "/data/cart", alice);
        Assert.Equal("tea", await Body(aliceCart));
        using var written = await GetAsync(client, "/data/admin-was-here", alice);
        Assert.Equal("(none)", await Body(written));
    }

    [Fact]
    public async Task Pages_that_did_not_ask_for_Basic_keep_the_cookie_user_while_the_browser_sends_Basic()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", alice)).Dispose();

        using var page = await SendAsync(client, "/page", alice, FakeBasicHandler.Header("admin"));

        var body = await Body(page);
        Assert.StartsWith("user=alice cart=tea current=", body, StringComparison.Ordinal);
        Assert.EndsWith("listed=1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("current=(none)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_user_by_Basic_and_by_cookie_keeps_the_session()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", alice)).Dispose();

        using var admin = await SendAsync(client, "/admin", alice, FakeBasicHandler.Header("alice"));

        var body = await Body(admin);
        Assert.StartsWith("user=alice cart=tea current=", body, StringComparison.Ordinal);
        Assert.DoesNotContain("current=(none)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Basic_request_without_a_cookie_creates_no_session_even_when_it_writes_to_HttpContext_Session()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        app.Store.ResetCounts();

        using var admin = await SendAsync(client, "/admin", cookie: null, FakeBasicHandler.Header("admin"));

        Assert.Equal("user=admin cart=(none) current=(none) listed=0", await Body(admin));
        Assert.Empty(SetCookies(admin));
        Assert.Equal(0, app.Store.Creates);
        Assert.Equal(1, app.Logs.Count(3015));
    }

    [Fact]
    public async Task A_request_for_another_user_neither_changes_nor_slides_the_cookie_session()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        app.Store.ResetCounts();

        (await SendAsync(client, "/admin", alice, FakeBasicHandler.Header("admin"))).Dispose();

        Assert.Equal(0, app.Store.Writes);
    }

    [Fact]
    public async Task Revoking_by_handle_on_a_request_for_another_user_cannot_reach_the_cookie_users_sessions()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        var handle = (await app.App.Services.GetRequiredService<ISessionManager>().ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Single().SessionHandle;

        using var revoke = await SendAsync(client, "/admin/revoke?handle=" + handle, alice, FakeBasicHandler.Header("admin"), HttpMethod.Post);

        Assert.Equal("False", await Body(revoke));
        using var me = await GetAsync(client, "/me", alice);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private static Task<TestApp> StartAsync() => TestApp.StartAsync(
        build: b =>
        {
            b.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FakeBasicHandler>(FakeBasicHandler.SchemeName, null);
            b.Services.Configure<AuthKitForwardingOptions>(o => o.BasicScheme = FakeBasicHandler.SchemeName);
        },
        map: app =>
        {
            app.MapGet("/admin", Describe).RequireAuthorization(p => p.AddAuthenticationSchemes(FakeBasicHandler.SchemeName).RequireAuthenticatedUser());
            app.MapPost("/admin/revoke", async (HttpContext c, ISessionManager m, string handle) => (await m.RevokeSessionAsync(c, handle)).ToString())
                .RequireAuthorization(p => p.AddAuthenticationSchemes(FakeBasicHandler.SchemeName).RequireAuthenticatedUser());
            app.MapGet("/page", Describe);
        });

    private static async Task<string> Describe(HttpContext context, ISessionManager sessions)
    {
        var cart = context.Session.GetString("cart") ?? "(none)";
        var listed = (await sessions.ListSessionsAsync(context)).Count;
        var current = sessions.GetCurrentSessionHandle(context) ?? "(none)";
        if (context.User.Identity?.Name == "admin")
        {
            context.Session.SetString("admin-was-here", "1");
        }

        return $"user={context.User.Identity?.Name ?? "(anonymous)"} cart={cart} current={current} listed={listed}";
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string? cookie, string authorization, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static Task<string> Body(HttpResponseMessage response) => response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
