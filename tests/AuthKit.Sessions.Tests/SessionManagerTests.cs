using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class SessionManagerTests
{
    [Fact]
    public async Task Lists_the_users_sessions_marking_the_current_one_and_hiding_refresh_tokens()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var laptop = await LoginAsync(client, "alice");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var phone = await LoginAsync(client, "alice");
        await LoginAsync(client, "bob");
        await AddRefreshTokenAsync(app, "alice");

        var sessions = await ListAsync(client, phone);

        Assert.Equal(2, sessions.Count);
        Assert.True(sessions[0].GetProperty("isCurrent").GetBoolean());
        Assert.False(sessions[1].GetProperty("isCurrent").GetBoolean());
        // The key's 64 hexadecimal characters, "." and the user's slot tag (sessions issued at sign-in carry it).
        Assert.All(sessions, s => Assert.Matches("^[0-9a-f]{64}\\.[0-9a-f]{4}$", s.GetProperty("sessionHandle").GetString()!));
        Assert.DoesNotContain(sessions, s => laptop.Contains(s.GetProperty("sessionHandle").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revokes_another_session_of_the_same_user_by_handle()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var laptop = await LoginAsync(client, "alice");
        var phone = await LoginAsync(client, "alice");
        var laptopHandle = (await ListAsync(client, laptop)).Single(s => s.GetProperty("isCurrent").GetBoolean()).GetProperty("sessionHandle").GetString();

        using var revoke = await PostAsync(client, "/my-sessions/revoke?handle=" + laptopHandle, phone);

        Assert.Equal("True", await revoke.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var laptopAfter = await GetAsync(client, "/me", laptop);
        using var phoneAfter = await GetAsync(client, "/me", phone);
        Assert.Equal(HttpStatusCode.Unauthorized, laptopAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, phoneAfter.StatusCode);
    }

    [Fact]
    public async Task Refuses_to_revoke_another_users_session()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        var bob = await LoginAsync(client, "bob");
        var bobHandle = (await ListAsync(client, bob)).Single().GetProperty("sessionHandle").GetString();

        using var revoke = await PostAsync(client, "/my-sessions/revoke?handle=" + bobHandle, alice);

        Assert.Equal("False", await revoke.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var bobAfter = await GetAsync(client, "/me", bob);
        Assert.Equal(HttpStatusCode.OK, bobAfter.StatusCode);
    }

    [Fact]
    public async Task Revoking_the_current_session_signs_it_out()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        var handle = (await ListAsync(client, cookie)).Single().GetProperty("sessionHandle").GetString();

        using var revoke = await PostAsync(client, "/my-sessions/revoke?handle=" + handle, cookie);

        Assert.True(IsDeletion(SetCookie(revoke, "__Host-authkit")!));
        using var after = await GetAsync(client, "/me", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Revoke_all_signs_the_user_out_everywhere_including_refresh_tokens()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var a = await LoginAsync(client, "alice");
        var b = await LoginAsync(client, "alice");
        var bob = await LoginAsync(client, "bob");
        await AddRefreshTokenAsync(app, "alice");

        var removed = await app.App.Services.GetRequiredService<ISessionManager>().RevokeAllSessionsAsync("alice", TestContext.Current.CancellationToken);

        Assert.Equal(3, removed);
        using var ra = await GetAsync(client, "/me", a);
        using var rb = await GetAsync(client, "/me", b);
        using var rbob = await GetAsync(client, "/me", bob);
        Assert.Equal(HttpStatusCode.Unauthorized, ra.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rb.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rbob.StatusCode);
    }

    [Fact]
    public async Task Sign_in_through_the_manager_works_like_HttpContext_SignInAsync()
    {
        await using var app = await StartAsync();
        using var client = app.Client();

        using var response = await PostAsync(client, "/manager-login");
        var cookie = Pair(SetCookie(response, "__Host-authkit")!);
        using var me = await GetAsync(client, "/me", cookie);

        Assert.Equal("carol", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static Task<TestApp> StartAsync() => TestApp.StartAsync(map: app =>
    {
        app.MapGet("/my-sessions", (HttpContext c, ISessionManager m) => m.ListSessionsAsync(c)).RequireAuthorization();
        app.MapPost("/my-sessions/revoke", (HttpContext c, ISessionManager m, string handle) => m.RevokeSessionAsync(c, handle).ContinueWith(t => t.Result.ToString(), TaskScheduler.Default)).RequireAuthorization();
        app.MapPost("/manager-login", (HttpContext c, ISessionManager m) =>
            m.SignInAsync(c, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "carol"), new Claim(ClaimTypes.Name, "carol")], "test"))));
    });

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string cookie)
    {
        using var response = await GetAsync(client, "/my-sessions", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task AddRefreshTokenAsync(TestApp app, string user)
    {
        var now = app.Time.GetUtcNow();
        await app.Store.Inner.CreateAsync(new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            Kind = SessionRecordKind.RefreshToken,
            UserId = user,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddDays(1),
            AbsoluteExpiresAt = now.AddDays(1),
        }, TestContext.Current.CancellationToken);
    }
}
