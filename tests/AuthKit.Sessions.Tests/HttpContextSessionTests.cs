using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

public sealed class HttpContextSessionTests
{
    [Fact]
    public async Task Anonymous_session_is_created_only_on_the_first_write()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        using var read = await GetAsync(client, "/data/cart");
        Assert.Equal("(none)", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(SetCookies(read));
        Assert.Equal(0, app.Store.Inner.Count);

        using var write = await PostAsync(client, "/data/cart?value=apples");
        var header = SetCookie(write, "__Host-authkit");
        Assert.NotNull(header);
        Assert.Equal(1, app.Store.Inner.Count);
        Assert.Equal(1, app.Store.Creates);

        using var again = await GetAsync(client, "/data/cart", Pair(header));
        Assert.Equal("apples", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var me = await GetAsync(client, "/me", Pair(header));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode); // anonymous sessions authenticate nobody
    }

    [Fact]
    public async Task Authenticated_request_reads_the_store_once_and_writes_only_when_something_changed()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        using (await PostAsync(client, "/data/cart?value=apples", cookie))
        {
        }

        app.Store.ResetCounts();
        using var unchanged = await GetAsync(client, "/data/cart", cookie);
        Assert.Equal("apples", await unchanged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal((1, 0), (app.Store.Gets, app.Store.Writes));

        app.Store.ResetCounts();
        using var sameValue = await PostAsync(client, "/data/cart?value=apples", cookie);
        Assert.Equal((1, 0), (app.Store.Gets, app.Store.Writes));

        app.Store.ResetCounts();
        using var changed = await PostAsync(client, "/counter", cookie);
        Assert.Equal((1, 1), (app.Store.Gets, app.Store.Updates));
        Assert.Empty(SetCookies(changed));
    }

    [Fact]
    public async Task Session_value_survives_across_requests_and_remove_and_clear_work()
    {
        await using var app = await TestApp.StartAsync(map: a =>
        {
            a.MapPost("/remove/{key}", (HttpContext c, string key) => c.Session.Remove(key));
            a.MapPost("/clear", (HttpContext c) => c.Session.Clear());
            a.MapGet("/keys", (HttpContext c) => string.Join(",", c.Session.Keys.Order()));
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        foreach (var k in new[] { "a", "b", "c" })
        {
            using (await PostAsync(client, $"/data/{k}?value={k}", cookie))
            {
            }
        }

        using (await PostAsync(client, "/remove/b", cookie))
        {
        }

        using var keys = await GetAsync(client, "/keys", cookie);
        Assert.Equal("a,c", await keys.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using (await PostAsync(client, "/clear", cookie))
        {
        }

        using var cleared = await GetAsync(client, "/keys", cookie);
        Assert.Equal(string.Empty, await cleared.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var me = await GetAsync(client, "/me", cookie);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_requests_on_one_session_writing_different_keys_both_survive()
    {
        // Without SerializeRequests both requests run at once; compare-and-set plus re-apply keeps both writes.
        await using var app = await TestApp.StartAsync(o => o.SerializeRequests = false);
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        // Both requests read the same version before either writes.
        app.Store.Barrier = new ReadBarrier(2);

        var a = PostAsync(client, "/data/a?value=from-a", cookie);
        var b = PostAsync(client, "/data/b?value=from-b", cookie);
        using var ra = await a.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        using var rb = await b.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ra.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rb.StatusCode);
        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal("from-a", Encoding.UTF8.GetString(record.Data["a"].Span));
        Assert.Equal("from-b", Encoding.UTF8.GetString(record.Data["b"].Span));
        // One of them met a conflict, re-read and re-applied: three updates in all, never more than two per request.
        Assert.Equal((3, 3), (app.Store.Gets, app.Store.Updates));
    }

    [Fact]
    public async Task Concurrent_remove_and_set_of_different_keys_both_survive()
    {
        await using var app = await TestApp.StartAsync(o => o.SerializeRequests = false, map: a => a.MapPost("/remove/{key}", (HttpContext c, string key) => c.Session.Remove(key)));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        using (await PostAsync(client, "/data/old?value=1", cookie))
        {
        }

        app.Store.Barrier = new ReadBarrier(2);
        var remove = PostAsync(client, "/remove/old", cookie);
        var set = PostAsync(client, "/data/new?value=2", cookie);
        using (await remove.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken))
        using (await set.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken))
        {
        }

        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.False(record.Data.ContainsKey("old"));
        Assert.Equal("2", Encoding.UTF8.GetString(record.Data["new"].Span));
    }

    [Fact]
    public async Task Value_written_after_the_response_started_is_still_saved_for_an_existing_session()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapPost("/late", async (HttpContext c) =>
        {
            await c.Response.WriteAsync("body first");
            c.Session.SetString("late", "yes");
        }));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using (await PostAsync(client, "/late", cookie))
        {
        }

        using var read = await GetAsync(client, "/data/late", cookie);
        Assert.Equal("yes", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Oversized_session_data_is_refused_when_written()
    {
        await using var app = await TestApp.StartAsync(
            o => o.MaxDataSize = 1024,
            map: a => a.MapPost("/big", (HttpContext c) =>
            {
                try
                {
                    c.Session.Set("big", new byte[2048]);
                    return "stored";
                }
                catch (InvalidOperationException ex)
                {
                    return ex.Message;
                }
            }));
        using var client = app.Client();

        using var response = await PostAsync(client, "/big");

        Assert.Contains("MaxDataSize", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, app.Store.Inner.Count);
    }

    [Fact]
    public async Task Sequential_increments_are_never_lost()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        for (var i = 1; i <= 20; i++)
        {
            using var r = await PostAsync(client, "/counter", cookie);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }
}
