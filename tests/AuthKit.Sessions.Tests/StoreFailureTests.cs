using System.Net;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class StoreFailureTests
{
    [Theory]
    [InlineData(TestStore.FailureMode.Throw)]
    [InlineData(TestStore.FailureMode.ThrowForeign)]
    public async Task Store_that_throws_answers_503_never_an_anonymous_request(TestStore.FailureMode mode)
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.Mode = mode;

        using var publicPage = await GetAsync(client, "/public", cookie);
        using var protectedPage = await GetAsync(client, "/me", cookie);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, publicPage.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, protectedPage.StatusCode);
        Assert.DoesNotContain("anonymous", await publicPage.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(SetCookies(publicPage)); // the cookie is not cleared: the session may well be fine
    }

    [Fact]
    public async Task Store_failures_are_logged_once_per_interval_and_the_store_recovers_by_itself()
    {
        await using var app = await TestApp.StartAsync(o => o.StoreErrorLogInterval = TimeSpan.FromMinutes(1));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.Mode = TestStore.FailureMode.Throw;

        for (var i = 0; i < 5; i++)
        {
            using var r = await GetAsync(client, "/me", cookie);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        }

        Assert.Equal(1, app.Logs.Count(3001));
        // The cause comes first in the line: what the store said, then which operation it was.
        Assert.StartsWith("Session store unavailable: disk on fire (SessionStoreException). During ", app.Logs.Entries.Single(e => e.EventId == 3001).Message, StringComparison.Ordinal);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        using (await GetAsync(client, "/me", cookie))
        {
        }

        Assert.Equal(2, app.Logs.Count(3001));
        Assert.Contains("4 further store failures", app.Logs.Entries.Last(e => e.EventId == 3001).Message, StringComparison.Ordinal);

        app.Store.Mode = TestStore.FailureMode.None;
        using var recovered = await GetAsync(client, "/me", cookie);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Store_that_hangs_answers_503_once_the_store_timeout_passes()
    {
        await using var app = await TestApp.StartAsync(o => o.StoreTimeout = TimeSpan.FromSeconds(2));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.Mode = TestStore.FailureMode.Hang;

        var pending = GetAsync(client, "/me", cookie);
        await app.Store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.EventId == 3001 && e.Message.Contains("StoreTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Store_failure_during_sign_in_answers_503()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        app.Store.Mode = TestStore.FailureMode.Throw;

        using var response = await PostAsync(client, "/login?user=alice");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(SetCookies(response));
    }

    [Fact]
    public async Task Store_failure_while_writing_session_data_answers_503()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.Mode = TestStore.FailureMode.None;
        app.Store.Barrier = null;

        // Reads work, the write fails.
        var failing = new FailOnUpdate(app.Store);
        using var response = await failing.RunAsync(() => PostAsync(client, "/data/cart?value=1", cookie));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Every_503_for_a_failed_store_says_when_to_retry()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.Barrier = null;

        // The read fails (the scheme loading the session)...
        app.Store.Mode = TestStore.FailureMode.Throw;
        using var read = await GetAsync(client, "/me", cookie);
        app.Store.Mode = TestStore.FailureMode.None;

        // ...or the write-back of changed session data fails as the response starts.
        using var write = await new FailOnUpdate(app.Store).RunAsync(() => PostAsync(client, "/data/cart?value=1", cookie));

        foreach (var response in new[] { read, write })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            Assert.True(response.Headers.CacheControl?.NoStore);
        }
    }

    [Fact]
    public async Task Requests_without_a_session_cookie_never_touch_the_store()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        app.Store.Mode = TestStore.FailureMode.Throw;

        using var response = await GetAsync(client, "/public");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, app.Store.Gets);
    }

    private sealed class FailOnUpdate(TestStore store)
    {
        public async Task<HttpResponseMessage> RunAsync(Func<Task<HttpResponseMessage>> send)
        {
            store.FailUpdates = true;
            try
            {
                return await send();
            }
            finally
            {
                store.FailUpdates = false;
            }
        }
    }
}
