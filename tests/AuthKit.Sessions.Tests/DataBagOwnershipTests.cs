using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>A data bag belongs to one user: what Alice put in the session (a cart, "MFA passed") never reaches Bob.</summary>
public sealed class DataBagOwnershipTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_another_user_signs_in_on_the_same_browser_the_data_bag_starts_empty(bool keepAnonymousData)
    {
        await using var app = await TestApp.StartAsync(o => o.KeepAnonymousDataOnSignIn = keepAnonymousData);
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", alice)).Dispose();
        (await PostAsync(client, "/data/mfa?value=passed", alice)).Dispose();

        var bob = await LoginAsync(client, "bob", alice);

        using var cart = await GetAsync(client, "/data/cart", bob);
        using var mfa = await GetAsync(client, "/data/mfa", bob);
        Assert.Equal("(none)", await cart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("(none)", await mfa.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_anonymous_bag_is_not_carried_into_a_sign_in_by_default()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        using var anonymous = await PostAsync(client, "/data/cart?value=3-apples");
        var anonymousCookie = Pair(SetCookie(anonymous, "__Host-authkit")!);

        var alice = await LoginAsync(client, "alice", anonymousCookie);

        using var cart = await GetAsync(client, "/data/cart", alice);
        Assert.Equal("(none)", await cart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_same_user_signing_in_again_keeps_the_bag()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var first = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", first)).Dispose();

        var second = await LoginAsync(client, "alice", first);

        using var cart = await GetAsync(client, "/data/cart", second);
        Assert.Equal("tea", await cart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Bytes_read_from_HttpContext_Session_are_copies_that_cannot_change_the_stored_session()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapPost("/scribble", (HttpContext c) =>
        {
            c.Session.TryGetValue("cart", out var bytes);
            bytes![0] = (byte)'X';
            return "scribbled";
        }));
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        (await PostAsync(client, "/data/cart?value=tea", alice)).Dispose();

        using var scribble = await PostAsync(client, "/scribble", alice);

        Assert.Equal(HttpStatusCode.OK, scribble.StatusCode);
        using var cart = await GetAsync(client, "/data/cart", alice);
        Assert.Equal("tea", await cart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
