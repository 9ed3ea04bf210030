using System.Security.Claims;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>Entries of expired records leave the per-user index: on read, and by the bounded background pass.</summary>
public sealed class RedisIndexPruningTests(DedicatedRedisFixture redis) : IClassFixture<DedicatedRedisFixture>
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _prefix = RedisTestServer.UniquePrefix("ak-prune");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SessionRecord NewRecord(string userId, TimeSpan idle)
    {
        var now = _time.GetUtcNow();
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create(userId)),
            UserId = userId,
            Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test")),
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + idle,
            AbsoluteExpiresAt = now + TimeSpan.FromHours(8),
        };
    }

    [Fact]
    public async Task Background_pass_removes_index_entries_of_expired_records_and_keeps_live_ones()
    {
        var options = RedisTestStores.Options(_prefix, o => o.IndexPruneInterval = TimeSpan.Zero);
        await using var store = redis.CreateStore(_time, options);
        var db = redis.Connection.GetDatabase();
        var users = Enumerable.Range(0, 5).Select(i => "user-" + i).ToList();
        var live = new List<SessionRecord>();
        foreach (var user in users)
        {
            Assert.True(await store.CreateAsync(NewRecord(user, TimeSpan.FromMinutes(1)), Ct));
            Assert.True(await store.CreateAsync(NewRecord(user, TimeSpan.FromMinutes(1)), Ct));
            var keep = NewRecord(user, TimeSpan.FromHours(1));
            live.Add(keep);
            Assert.True(await store.CreateAsync(keep, Ct));
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(10, await store.PruneIndexesAsync(Ct));
        foreach (var (user, keep) in users.Zip(live))
        {
            Assert.Equal([RedisSessionStore.IndexMember(keep.Key)], (await db.SetMembersAsync(store.UserIndexKey(user))).Select(m => (string)m!));
        }

        Assert.Equal(0, await store.PruneIndexesAsync(Ct));
    }

    [Fact]
    public async Task Background_pass_visits_at_most_the_batch_size_and_resumes_on_the_next_pass()
    {
        var options = RedisTestStores.Options(_prefix, o =>
        {
            o.IndexPruneInterval = TimeSpan.Zero;
            o.IndexPruneBatchSize = 1;
        });
        await using var store = redis.CreateStore(_time, options);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(await store.CreateAsync(NewRecord("batch-" + i, TimeSpan.FromMinutes(1)), Ct));
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        var total = 0;
        var passes = 0;
        while (total < 6 && passes < 200)
        {
            var removed = await store.PruneIndexesAsync(Ct);
            Assert.InRange(removed, 0, 6);
            total += removed;
            passes++;
        }

        Assert.Equal(6, total);
        Assert.True(passes > 1, "A batch size of one index cannot prune six indexes in one pass.");
    }

    [Fact]
    public async Task Timer_runs_the_pass_on_the_configured_interval()
    {
        var options = RedisTestStores.Options(_prefix, o => o.IndexPruneInterval = TimeSpan.FromMinutes(5));
        await using var store = redis.CreateStore(_time, options);
        var db = redis.Connection.GetDatabase();
        Assert.True(await store.CreateAsync(NewRecord("timer", TimeSpan.FromMinutes(1)), Ct));
        Assert.Equal(1, await db.SetLengthAsync(store.UserIndexKey("timer")));

        _time.Advance(TimeSpan.FromMinutes(5));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (await db.SetLengthAsync(store.UserIndexKey("timer")) != 0)
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public async Task Listing_a_user_drops_entries_of_expired_and_removed_records()
    {
        var options = RedisTestStores.Options(_prefix, o => o.IndexPruneInterval = TimeSpan.Zero);
        await using var store = redis.CreateStore(_time, options);
        var db = redis.Connection.GetDatabase();
        var expiring = NewRecord("dave", TimeSpan.FromMinutes(1));
        var keep = NewRecord("dave", TimeSpan.FromHours(1));
        Assert.True(await store.CreateAsync(expiring, Ct));
        Assert.True(await store.CreateAsync(keep, Ct));

        // A record deleted behind the store's back (an operator's DEL, eviction under maxmemory) leaves a dangling entry too.
        var evicted = NewRecord("dave", TimeSpan.FromHours(1));
        Assert.True(await store.CreateAsync(evicted, Ct));
        await db.KeyDeleteAsync(store.RecordKey(evicted.Key));

        _time.Advance(TimeSpan.FromMinutes(2));
        var listed = new List<SessionRecord>();
        await foreach (var r in store.ListByUserAsync("dave", Ct))
        {
            listed.Add(r);
        }

        Assert.Equal([keep.Key], listed.Select(r => r.Key));
        Assert.Equal([RedisSessionStore.IndexMember(keep.Key)], (await db.SetMembersAsync(store.UserIndexKey("dave"))).Select(m => (string)m!));
        Assert.False(await db.KeyExistsAsync(store.RecordKey(expiring.Key)));
    }
}
