using System.Net;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>No client can fill the store with one user's sessions: at the quota, a sign-in ends the least recently seen one.</summary>
public sealed class SessionQuotaTests
{
    [Fact]
    public async Task A_sign_in_over_the_per_user_quota_ends_the_least_recently_seen_session_and_never_another_users()
    {
        await using var app = await TestApp.StartAsync(o => o.MaxSessionsPerUser = 3);
        using var client = app.Client();
        var bob = await LoginAsync(client, "bob");
        var first = await LoginAsync(client, "alice");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var second = await LoginAsync(client, "alice");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var third = await LoginAsync(client, "alice");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        (await GetAsync(client, "/me", first)).Dispose(); // the first session is used again: the second is now the least recently seen

        var fourth = await LoginAsync(client, "alice");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/me", first)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/me", second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/me", third)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/me", fourth)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/me", bob)).StatusCode);
        Assert.Equal(1, app.Logs.Count(3016));
    }

    [Fact]
    public async Task Signing_in_again_and_again_keeps_the_users_records_at_the_quota()
    {
        await using var app = await TestApp.StartAsync(o => o.MaxSessionsPerUser = 3);
        using var client = app.Client();

        for (var i = 0; i < 20; i++)
        {
            await LoginAsync(client, "alice");
            app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var records = await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken));
        Assert.Equal(3, records.Count);
    }
}
