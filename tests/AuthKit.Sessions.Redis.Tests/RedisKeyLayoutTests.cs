using System.Security.Claims;
using System.Text;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>What the store leaves in Redis: key names, hash fields, time-to-live values and the per-user index.</summary>
public sealed class RedisKeyLayoutTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _prefix = RedisTestServer.UniquePrefix("ak-layout");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SessionRecord NewRecord(string? userId, TimeSpan idle, TimeSpan absolute, out string id)
    {
        id = SessionIds.Create(userId);
        var now = _time.GetUtcNow();
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(id),
            UserId = userId,
            Principal = userId is null ? null : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test")),
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + idle,
            AbsoluteExpiresAt = now + absolute,
        };
    }

    [Fact]
    public async Task Record_is_a_hash_under_the_prefix_with_version_expiry_user_and_data_fields()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var record = NewRecord("alice", TimeSpan.FromMinutes(20), TimeSpan.FromHours(8), out var id);
        Assert.True(await store.CreateAsync(record, Ct));

        var db = (await RedisTestStores.SharedConnectionAsync()).GetDatabase();
        var key = _prefix + "s:{" + SessionStoreKeys.SlotTag("alice") + "}" + Digest(record.Key);
        Assert.Equal(key, (string?)store.RecordKey(record.Key));
        Assert.Equal(RedisType.Hash, await db.KeyTypeAsync(key));
        var fields = (await db.HashGetAllAsync(key)).ToDictionary(f => (string)f.Name!, f => f.Value);
        Assert.Equal(["d", "e", "u", "v"], fields.Keys.Order());
        Assert.Equal("1", (string?)fields["v"]);
        Assert.Equal("alice", (string?)fields["u"]);
        var expiresTicks = (record.ExpiresAt - DateTimeOffset.UnixEpoch).Ticks;
        Assert.Equal((expiresTicks + 9) / 10, (long)fields["e"]); // microseconds, rounded up
        Assert.True(SessionRecordSerializer.TryDeserialize((byte[])fields["d"]!, out var stored));
        Assert.Equal(1, stored.Version);
        Assert.DoesNotContain(id, Encoding.UTF8.GetString((byte[])fields["d"]!), StringComparison.Ordinal);

        Assert.True(await store.UpdateAsync(record, 1, Ct));
        Assert.Equal("2", (string?)await db.HashGetAsync(key, "v"));
        Assert.Equal(_prefix + "u:{" + SessionStoreKeys.SlotTag("alice") + "}alice", (string?)store.UserIndexKey("alice"));
        Assert.Equal(["{" + SessionStoreKeys.SlotTag("alice") + "}" + Digest(record.Key)], (await db.SetMembersAsync(store.UserIndexKey("alice"))).Select(m => (string)m!));
    }

    [Fact]
    public async Task Record_time_to_live_is_the_earlier_of_idle_and_absolute_expiry()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var db = (await RedisTestStores.SharedConnectionAsync()).GetDatabase();

        var idleFirst = NewRecord("alice", TimeSpan.FromMinutes(20), TimeSpan.FromHours(8), out _);
        var absoluteFirst = NewRecord("alice", TimeSpan.FromHours(2), TimeSpan.FromMinutes(30), out _);
        Assert.True(await store.CreateAsync(idleFirst, Ct));
        Assert.True(await store.CreateAsync(absoluteFirst, Ct));

        var ttlIdle = await db.KeyTimeToLiveAsync(store.RecordKey(idleFirst.Key));
        var ttlAbsolute = await db.KeyTimeToLiveAsync(store.RecordKey(absoluteFirst.Key));
        Assert.InRange(ttlIdle!.Value, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(20));
        Assert.InRange(ttlAbsolute!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        // A sliding update moves the TTL with the idle expiry.
        _time.Advance(TimeSpan.FromMinutes(5));
        var now = _time.GetUtcNow();
        Assert.True(await store.UpdateAsync(idleFirst with { LastSeenAt = now, IdleExpiresAt = now.AddMinutes(60) }, 1, Ct));
        Assert.InRange((await db.KeyTimeToLiveAsync(store.RecordKey(idleFirst.Key)))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public async Task User_index_time_to_live_covers_the_longest_lived_record_of_the_user()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var db = (await RedisTestStores.SharedConnectionAsync()).GetDatabase();
        var index = store.UserIndexKey("bob");

        Assert.True(await store.CreateAsync(NewRecord("bob", TimeSpan.FromMinutes(10), TimeSpan.FromHours(8), out _), Ct));
        Assert.InRange((await db.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        Assert.True(await store.CreateAsync(NewRecord("bob", TimeSpan.FromHours(3), TimeSpan.FromHours(8), out _), Ct));
        Assert.InRange((await db.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromMinutes(179), TimeSpan.FromMinutes(180));

        // A shorter-lived record never shortens the index.
        Assert.True(await store.CreateAsync(NewRecord("bob", TimeSpan.FromMinutes(1), TimeSpan.FromHours(8), out _), Ct));
        Assert.InRange((await db.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromMinutes(179), TimeSpan.FromMinutes(180));
        Assert.Equal(3, await db.SetLengthAsync(index));
    }

    [Fact]
    public async Task Anonymous_record_has_no_user_field_and_no_index()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var record = NewRecord(null, TimeSpan.FromMinutes(20), TimeSpan.FromHours(8), out _);
        Assert.True(await store.CreateAsync(record, Ct));
        var dump = await RedisTestStores.DumpAsync(await RedisTestStores.SharedConnectionAsync(), _prefix);
        var entry = Assert.Single(dump);
        Assert.Equal((string?)store.RecordKey(record.Key), entry.Key);
        Assert.Equal(6, entry.Values.Count); // v, e, d with their values
    }

    [Fact]
    public async Task Update_that_signs_the_user_in_moves_the_record_between_indexes()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var db = (await RedisTestStores.SharedConnectionAsync()).GetDatabase();
        var record = NewRecord("alice", TimeSpan.FromMinutes(20), TimeSpan.FromHours(8), out _);
        Assert.True(await store.CreateAsync(record, Ct));
        if ((await RedisTestServer.GetSharedAsync()).IsCluster)
        {
            // On a cluster carol's index lives under carol's slot tag, which alice's record key does not carry: refused.
            await Assert.ThrowsAsync<SessionStoreException>(async () => await store.UpdateAsync(record with { UserId = "carol" }, 1, Ct));
            Assert.Equal(1, await store.RemoveByUserAsync("alice", Ct));
            return;
        }

        Assert.True(await store.UpdateAsync(record with { UserId = "carol" }, 1, Ct));
        Assert.Equal([RedisSessionStore.IndexMember(record.Key)], (await db.SetMembersAsync(store.UserIndexKey("carol"))).Select(m => (string)m!));

        // The previous user's index may live in another hash slot: its entry goes right after the script, not inside it.
        for (var i = 0; i < 200 && await db.SetLengthAsync(store.UserIndexKey("alice")) > 0; i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.Equal(0, await db.SetLengthAsync(store.UserIndexKey("alice")));
        Assert.Equal(0, await store.RemoveByUserAsync("alice", Ct));
        Assert.Equal(1, await store.RemoveByUserAsync("carol", Ct));
        Assert.Null(await store.GetAsync(record.Key, Ct));
    }

    [Fact]
    public async Task Stores_with_different_prefixes_do_not_see_each_other()
    {
        await using var first = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix + "one:"));
        await using var second = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix + "two:"));
        var record = NewRecord("alice", TimeSpan.FromMinutes(20), TimeSpan.FromHours(8), out _);
        Assert.True(await first.CreateAsync(record, Ct));
        Assert.Null(await second.GetAsync(record.Key, Ct));
        Assert.True(await second.CreateAsync(record, Ct));
        Assert.Equal(1, await second.RemoveByUserAsync("alice", Ct));
        Assert.NotNull(await first.GetAsync(record.Key, Ct));
    }

    [Fact]
    public async Task Wrong_type_at_a_record_key_reads_as_absent()
    {
        await using var store = await RedisTestStores.CreateAsync(_time, RedisTestStores.Options(_prefix));
        var key = SessionKey.FromSessionId(SessionIds.Create());
        await (await RedisTestStores.SharedConnectionAsync()).GetDatabase().StringSetAsync(store.RecordKey(key), "not a hash");
        Assert.Null(await store.GetAsync(key, Ct));
    }

    private static string Digest(SessionKey key) => Convert.ToHexStringLower(key.ToArray());
}
