using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Net;
using System.Security.Claims;
using AuthKit.Sessions;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class SignInSignOutTests
{
    [Fact]
    public async Task Sign_in_issues_a_new_id_kills_the_old_id_at_once_and_carries_the_anonymous_bag_when_asked()
    {
        await using var app = await TestApp.StartAsync(o => o.KeepAnonymousDataOnSignIn = true);
        using var client = app.Client();
        using var anonymous = await PostAsync(client, "/data/cart?value=3-apples");
        var anonymousCookie = Pair(SetCookie(anonymous, "__Host-authkit")!);

        var signedIn = await LoginAsync(client, "alice", anonymousCookie);

        Assert.NotEqual(anonymousCookie, signedIn);
        using var cart = await GetAsync(client, "/data/cart", signedIn);
        Assert.Equal("3-apples", await cart.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var old = await GetAsync(client, "/data/cart", anonymousCookie);
        Assert.Equal("(none)", await old.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(IsDeletion(SetCookie(old, "__Host-authkit")!));
        Assert.Equal(1, app.Store.Inner.Count);
    }

    [Fact]
    public async Task Signing_in_again_refuses_the_previous_signed_in_cookie()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var first = await LoginAsync(client, "alice");

        var second = await LoginAsync(client, "alice", first);

        Assert.NotEqual(first, second);
        using var oldResponse = await GetAsync(client, "/me", first);
        using var newResponse = await GetAsync(client, "/me", second);
        Assert.Equal(HttpStatusCode.Unauthorized, oldResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newResponse.StatusCode);
    }

    [Fact]
    public async Task Sign_out_removes_the_record_expires_the_cookie_and_the_old_cookie_is_refused()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using var logout = await PostAsync(client, "/logout", cookie);

        var header = SetCookie(logout, "__Host-authkit");
        Assert.NotNull(header);
        Assert.True(IsDeletion(header));
        Assert.Contains("secure", Attributes(header));
        Assert.Contains("path=/", Attributes(header));
        Assert.Equal(0, app.Store.Inner.Count);
        using var replay = await GetAsync(client, "/me", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }

    [Fact]
    public async Task Persistent_sign_in_gives_the_cookie_the_absolute_expiry()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AbsoluteTimeout = TimeSpan.FromHours(2),
            map: a => a.MapPost("/login-persistent", (HttpContext context) =>
                context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test")), new AuthenticationProperties { IsPersistent = true })));
        using var client = app.Client();

        using var response = await PostAsync(client, "/login-persistent");

        var header = SetCookie(response, "__Host-authkit")!;
        Assert.Contains("expires=thu, 01 jan 2026 11:00:00 gmt", Attributes(header));
    }

    [Fact]
    public async Task Events_see_sign_in_and_sign_out_and_may_reject_the_principal()
    {
        var seen = new List<string>();
        var reject = false;
        await using var app = await TestApp.StartAsync(o =>
        {
            o.Events.OnSigningIn = c =>
            {
                seen.Add("signing-in:" + c.Principal!.Identity!.Name);
                return Task.CompletedTask;
            };
            o.Events.OnSignedIn = c =>
            {
                seen.Add("signed-in:" + c.SessionHandle.Length);
                return Task.CompletedTask;
            };
            o.Events.OnSigningOut = c =>
            {
                seen.Add("signing-out:" + (c.Record is not null));
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = c =>
            {
                if (reject)
                {
                    c.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        using (await PostAsync(client, "/logout", cookie))
        {
        }

        Assert.Equal(["signing-in:alice", "signed-in:69", "signing-out:True"], seen);

        var again = await LoginAsync(client, "alice");
        reject = true;
        using var rejected = await GetAsync(client, "/me", again);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.True(IsDeletion(SetCookie(rejected, "__Host-authkit")!));
        Assert.Equal(0, app.Store.Inner.Count);
    }

    [Fact]
    public async Task Replaced_principal_is_stored_with_the_session()
    {
        await using var app = await TestApp.StartAsync(o => o.Events.OnValidatePrincipal = c =>
        {
            if (c.Principal!.FindFirst("role") is null)
            {
                var identity = new ClaimsIdentity(c.Principal.Claims.Append(new Claim("role", "admin")), "test", ClaimTypes.Name, ClaimTypes.Role);
                c.ReplacePrincipal(new ClaimsPrincipal(identity));
            }

            return Task.CompletedTask;
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using (await GetAsync(client, "/me", cookie))
        {
        }

        var record = Assert.Single(await ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal("admin", record.Principal!.FindFirst("role")!.Value);
    }

    [Fact]
    public async Task Code_that_adds_claims_to_the_user_never_changes_the_stored_principal()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapGet("/mutate", (ClaimsPrincipal user) =>
        {
            ((ClaimsIdentity)user.Identity!).AddClaim(new Claim("added", "yes"));
            return user.Claims.Count().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using var first = await GetAsync(client, "/mutate", cookie);
        using var second = await GetAsync(client, "/mutate", cookie);

        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sign_in_without_a_user_id_fails_with_a_clear_message()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapPost("/login-nameless", (HttpContext context) =>
            context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("x", "y")], "test")))));
        using var client = app.Client();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => PostAsync(client, "/login-nameless"));

        Assert.Contains("user ID", ex.ToString(), StringComparison.Ordinal);
    }

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
