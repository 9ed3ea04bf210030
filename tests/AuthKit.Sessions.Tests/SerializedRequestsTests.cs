using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary><see cref="SessionAuthenticationOptions.SerializeRequests"/>: one session's requests run one at a time in a process.</summary>
public sealed class SerializedRequestsTests
{
    private const int Concurrency = 32;

    [Fact]
    public async Task Concurrent_read_increment_write_requests_on_one_session_lose_no_increment()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        app.Store.YieldOnRead = true;

        var answers = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            using var response = await PostAsync(client, "/counter", cookie);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return int.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
        })).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);

        // Each request saw the previous one's write: the answers are exactly 1..N and the stored counter is N.
        Assert.Equal(Enumerable.Range(1, Concurrency), answers.Order());
        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal(Concurrency, BitConverterBigEndian(record.Data["n"].ToArray()));
        // Still one read per request and one write per changed request: no conflict, no retry.
        Assert.Equal(Concurrency, app.Store.Updates);
    }

    [Fact]
    public async Task Sessions_whose_locks_are_reused_one_after_another_still_lose_no_increment()
    {
        // Each wave's lock entries go back to the pool when the wave ends and serve the next wave's sessions, crossed over.
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        var bob = await LoginAsync(client, "bob");
        app.Store.YieldOnRead = true;
        const int Waves = 4;
        const int PerSession = 8;

        for (var wave = 0; wave < Waves; wave++)
        {
            await Task.WhenAll(Enumerable.Range(0, 2 * PerSession).Select(async i =>
            {
                using var response = await PostAsync(client, "/counter", i % 2 == wave % 2 ? alice : bob);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            })).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        }

        foreach (var user in new[] { "alice", "bob" })
        {
            var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync(user, TestContext.Current.CancellationToken)));
            Assert.Equal(Waves * PerSession, BitConverterBigEndian(record.Data["n"].ToArray()));
        }
    }

    [Fact]
    public async Task Without_SerializeRequests_concurrent_increments_of_one_key_run_in_parallel_and_can_be_lost()
    {
        await using var app = await TestApp.StartAsync(o => o.SerializeRequests = false);
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        // Both requests read version N before either writes: the loser re-applies its own "n = 1", last writer wins.
        app.Store.Barrier = new ReadBarrier(2);

        var a = PostAsync(client, "/counter", cookie);
        var b = PostAsync(client, "/counter", cookie);
        using var ra = await a.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        using var rb = await b.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal("1", await ra.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("1", await rb.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal(1, BitConverterBigEndian(record.Data["n"].ToArray()));
    }

    [Fact]
    public async Task A_request_waiting_longer_than_StoreTimeout_for_the_session_gets_503_and_the_session_recovers()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(
            o => o.StoreTimeout = TimeSpan.FromSeconds(2),
            map: a => a.MapPost("/hold", async (HttpContext c) =>
            {
                c.Session.SetString("held", "yes");
                holding.TrySetResult();
                await hold.Task;
                return "held";
            }));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        var holder = PostAsync(client, "/hold", cookie);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var gets = app.Store.Gets;
        var waiter = GetAsync(client, "/data/held", cookie);
        // The waiter cannot be observed while it waits; move the clock on until its wait times out (bounded).
        for (var i = 0; i < 300 && !waiter.IsCompleted; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(waiter, Task.Delay(100, TestContext.Current.CancellationToken));
        }

        using (var waited = await waiter.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, waited.StatusCode);
            Assert.Equal("no-store", waited.Headers.CacheControl?.ToString());
        }

        Assert.Equal(gets, app.Store.Gets);
        Assert.Equal(1, app.Logs.Count(3013));
        Assert.False(holder.IsCompleted);

        hold.TrySetResult();
        using (var held = await holder.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        }

        using var after = await GetAsync(client, "/data/held", cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("yes", await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_lock_is_released_when_the_endpoint_throws()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapPost("/boom", (HttpContext c) =>
        {
            c.Session.SetString("x", "1");
            throw new InvalidOperationException("boom");
        }));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => PostAsync(client, "/boom", cookie));
        }

        // Had a thrown request kept the lock, this one would wait StoreTimeout on a clock nobody advances.
        using var response = await PostAsync(client, "/counter", cookie).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Requests_of_different_sessions_and_without_a_session_do_not_wait_for_a_held_session()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(map: a => a.MapPost("/hold", async () =>
        {
            holding.TrySetResult();
            await hold.Task;
            return "held";
        }));
        using var client = app.Client();
        var alice = await LoginAsync(client, "alice");
        var bob = await LoginAsync(client, "bob");

        var holder = PostAsync(client, "/hold", alice);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        using (var other = await PostAsync(client, "/counter", bob).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken))
        using (var anonymous = await PostAsync(client, "/counter").WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        Assert.False(holder.IsCompleted);
        hold.TrySetResult();
        using var held = await holder.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
    }

    private static int BitConverterBigEndian(byte[] value) => value[0] << 24 | value[1] << 16 | value[2] << 8 | value[3];
}
