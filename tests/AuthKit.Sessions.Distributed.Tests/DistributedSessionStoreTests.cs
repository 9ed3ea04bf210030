using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using AuthKit.Sessions.Distributed;

namespace AuthKit.DistributedStore.Tests;

public sealed class DistributedSessionStoreTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingDistributedCache _cache = new(DistributedStoreFactory.NewMemoryCache());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SessionRecord NewRecord(string? userId = "alice", TimeSpan? idle = null, TimeSpan? absolute = null)
    {
        var now = _time.GetUtcNow();
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            UserId = userId,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(20)),
            AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(8)),
        };
    }

    private static string UserKey(string prefix, string userId)
        => prefix + "u:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    [Fact]
    public void Capabilities_say_shared_but_not_atomic_and_not_exact()
    {
        var store = DistributedStoreFactory.Create(_cache, _time);
        Assert.Equal(StoreCapabilities.SharedAcrossProcesses, store.Capabilities);
    }

    [Theory]
    [InlineData(20, 480, 20 * 60)] // idle first
    [InlineData(120, 30, 30 * 60)] // absolute first
    public async Task Cache_entry_lives_until_the_earlier_expiry(int idleMinutes, int absoluteMinutes, int expectedSeconds)
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "ttl:");
        var record = NewRecord(idle: TimeSpan.FromMinutes(idleMinutes), absolute: TimeSpan.FromMinutes(absoluteMinutes));
        Assert.True(await store.CreateAsync(record, Ct));

        var entry = _cache.Writes["ttl:s:" + record.Key];
        Assert.Null(entry.AbsoluteExpiration);
        Assert.Null(entry.SlidingExpiration);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), entry.AbsoluteExpirationRelativeToNow);

        // A sliding update measures the new time-to-live from the store's clock, not the cache's.
        _time.Advance(TimeSpan.FromMinutes(5));
        var now = _time.GetUtcNow();
        Assert.True(await store.UpdateAsync(record with { LastSeenAt = now, IdleExpiresAt = now.AddMinutes(idleMinutes) }, 1, Ct));
        var expected = TimeSpan.FromMinutes(Math.Min(idleMinutes, absoluteMinutes - 5));
        Assert.Equal(expected, _cache.Writes["ttl:s:" + record.Key].AbsoluteExpirationRelativeToNow);
    }

    [Fact]
    public async Task Records_and_index_live_under_the_key_prefix_and_hold_no_user_id_in_keys()
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "shop:");
        var record = NewRecord("alice@example.com");
        await store.CreateAsync(record, Ct);

        Assert.Equal(
            new[] { "shop:s:" + record.Key, UserKey("shop:", "alice@example.com") }.Order(),
            _cache.Writes.Keys.Order());
        Assert.True(SessionRecordSerializer.TryDeserialize(await _cache.GetAsync("shop:s:" + record.Key, Ct), out var stored));
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Last_writer_wins_when_two_instances_update_from_one_version()
    {
        // Two instances read version 1 before either writes (what a load balancer makes likely): both updates succeed.
        var paused = new PausingCache(_cache);
        var first = DistributedStoreFactory.Create(paused, _time);
        var second = DistributedStoreFactory.Create(_cache, _time);
        var record = NewRecord();
        await second.CreateAsync(record, Ct);

        paused.PauseNextSet();
        var slow = first.UpdateAsync(record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["from"] = new byte[] { 1 } } }, 1, Ct).AsTask();
        await paused.SetReached.Task.WaitAsync(Ct);
        Assert.True(await second.UpdateAsync(record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["from"] = new byte[] { 2 } } }, 1, Ct));
        paused.Resume();
        Assert.True(await slow);

        var stored = await second.GetAsync(record.Key, Ct);
        Assert.Equal([(byte)1], stored!.Data["from"].ToArray());
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task User_index_entries_of_records_gone_from_the_cache_are_pruned_on_read()
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "p:");
        var kept = NewRecord();
        var evicted = NewRecord();
        await store.CreateAsync(kept, Ct);
        await store.CreateAsync(evicted, Ct);
        await _cache.RemoveAsync("p:s:" + evicted.Key, Ct); // the cache evicted it (memory pressure, TTL)

        var listed = new List<SessionKey>();
        await foreach (var r in store.ListByUserAsync("alice", Ct))
        {
            listed.Add(r.Key);
        }

        Assert.Equal([kept.Key], listed);
        var index = await _cache.GetAsync(UserKey("p:", "alice"), Ct);
        Assert.NotNull(index);
        Assert.Equal(1 + 40, index.Length); // format byte + one entry (key and absolute expiry)
        Assert.Equal(kept.Key.ToArray(), index[1..33]);
    }

    [Fact]
    public async Task User_index_lives_until_the_latest_absolute_expiry_of_its_sessions()
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "i:");
        await store.CreateAsync(NewRecord(absolute: TimeSpan.FromHours(1)), Ct);
        await store.CreateAsync(NewRecord(absolute: TimeSpan.FromHours(3)), Ct);
        Assert.Equal(TimeSpan.FromHours(3), _cache.Writes[UserKey("i:", "alice")].AbsoluteExpirationRelativeToNow);
    }

    [Fact]
    public async Task Corrupt_value_is_removed_but_a_newer_format_is_left_for_the_newer_instances()
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "f:");
        var corrupt = SessionKey.FromSessionId(SessionIds.Create());
        var newer = SessionKey.FromSessionId(SessionIds.Create());
        await _cache.SetAsync("f:s:" + corrupt, [SessionRecordSerializer.FormatVersion, 9, 9], new(), Ct);
        await _cache.SetAsync("f:s:" + newer, [(byte)(SessionRecordSerializer.FormatVersion + 1), 9, 9], new(), Ct);

        Assert.Null(await store.GetAsync(corrupt, Ct));
        Assert.Null(await store.GetAsync(newer, Ct));
        Assert.Null(await _cache.GetAsync("f:s:" + corrupt, Ct));
        Assert.NotNull(await _cache.GetAsync("f:s:" + newer, Ct));
    }

    [Fact]
    public async Task Cache_failure_is_a_SessionStoreException()
    {
        var store = DistributedStoreFactory.Create(new FailingCache(), _time);
        var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.GetAsync(NewRecord().Key, Ct));
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("read a record", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.CreateAsync(NewRecord(), Ct));
    }

    [Fact]
    public async Task Cache_that_never_answers_fails_after_the_operation_timeout()
    {
        var store = DistributedStoreFactory.Create(new HangingCache(), _time, timeout: TimeSpan.FromMilliseconds(100));
        var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.GetAsync(NewRecord().Key, Ct));
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("OperationTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseDistributedSessionStore_replaces_the_store_on_the_apps_cache_and_binds_configuration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:DistributedStore:KeyPrefix"] = "from-config:",
            ["AuthKit:DistributedStore:OperationTimeout"] = "00:00:02",
        }).Build());
        services.AddLogging();
        services.AddSingleton<IDistributedCache>(_cache);
        services.AddAuthKit().UseDistributedSessionStore().UseDistributedSessionStore();
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<DistributedCacheSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.Same(store, provider.GetRequiredService<DistributedCacheSessionStore>());
        var options = provider.GetRequiredService<IOptions<DistributedCacheSessionStoreOptions>>().Value;
        Assert.Equal("from-config:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(2), options.OperationTimeout);

        var record = NewRecord();
        await store.CreateAsync(record, Ct);
        Assert.Contains("from-config:s:" + record.Key, _cache.Writes.Keys);
    }

    [Fact]
    public async Task Default_key_prefix_carries_the_application_name()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDistributedMemoryCache();
        services.AddAuthKit(o => o.ApplicationName = "shop").UseDistributedSessionStore();
        await using var provider = services.BuildServiceProvider();
        Assert.Equal("authkit:shop:", provider.GetRequiredService<IOptions<DistributedCacheSessionStoreOptions>>().Value.KeyPrefix);
    }

    [Fact]
    public void Options_setters_accept_anything_and_the_store_reports_every_problem_at_once()
    {
        var options = new DistributedCacheSessionStoreOptions { OperationTimeout = TimeSpan.Zero, KeyPrefix = "a\nb" };
        var ex = Assert.Throws<OptionsValidationException>(() => DistributedStoreFactory.Create(_cache, _time, options));
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:DistributedStore:OperationTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:DistributedStore:KeyPrefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDistributedMemoryCache();
        services.AddAuthKit().UseDistributedSessionStore(o =>
        {
            o.OperationTimeout = TimeSpan.FromHours(1);
            o.KeyPrefix = "x\u0001";
        });
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DistributedCacheSessionStoreOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public async Task Removal_landing_between_an_updates_read_and_write_stays_final()
    {
        // The update reads version 1, the removal runs, then the update writes: its write must not bring the session back.
        var paused = new PausingCache(_cache);
        var updating = DistributedStoreFactory.Create(paused, _time, "gate:");
        var removing = DistributedStoreFactory.Create(_cache, _time, "gate:");
        var record = NewRecord();
        Assert.True(await removing.CreateAsync(record, Ct));

        paused.PauseNextSet();
        var update = updating.UpdateAsync(record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["late"] = new byte[] { 1 } } }, 1, Ct).AsTask();
        await paused.SetReached.Task.WaitAsync(Ct);
        Assert.True(await removing.RemoveAsync(record.Key, Ct));
        paused.Resume();

        Assert.False(await update);
        Assert.Null(await removing.GetAsync(record.Key, Ct));
        Assert.Null(await _cache.GetAsync("gate:s:" + record.Key, Ct));
        Assert.False(await removing.UpdateAsync(record, 2, Ct));
        Assert.Empty(await ListAsync(removing, "alice"));
    }

    [Fact]
    public async Task Sign_out_everywhere_landing_between_an_updates_read_and_write_stays_final()
    {
        var paused = new PausingCache(_cache);
        var updating = DistributedStoreFactory.Create(paused, _time, "gate:");
        var removing = DistributedStoreFactory.Create(_cache, _time, "gate:");
        var record = NewRecord();
        var other = NewRecord();
        Assert.True(await removing.CreateAsync(record, Ct));
        Assert.True(await removing.CreateAsync(other, Ct));

        paused.PauseNextSet();
        var update = updating.UpdateAsync(record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["late"] = new byte[] { 1 } } }, 1, Ct).AsTask();
        await paused.SetReached.Task.WaitAsync(Ct);
        Assert.Equal(2, await removing.RemoveByUserAsync("alice", Ct));
        paused.Resume();

        Assert.False(await update);
        Assert.Null(await removing.GetAsync(record.Key, Ct));
        Assert.Null(await removing.GetAsync(other.Key, Ct));
        Assert.Empty(await ListAsync(removing, "alice"));
    }

    [Fact]
    public async Task Revocation_marker_lives_until_the_absolute_expiry_and_burns_the_key()
    {
        var store = DistributedStoreFactory.Create(_cache, _time, "mark:");
        var record = NewRecord(idle: TimeSpan.FromMinutes(20), absolute: TimeSpan.FromHours(8));
        Assert.True(await store.CreateAsync(record, Ct));
        Assert.True(await store.RemoveAsync(record.Key, Ct));
        Assert.Equal(TimeSpan.FromHours(8), _cache.Writes["mark:r:" + record.Key].AbsoluteExpirationRelativeToNow);
        Assert.False(await store.CreateAsync(record, Ct));
        Assert.Null(await store.GetAsync(record.Key, Ct));
    }

    private static async Task<List<SessionRecord>> ListAsync(DistributedCacheSessionStore store, string userId)
    {
        var list = new List<SessionRecord>();
        await foreach (var r in store.ListByUserAsync(userId, Ct))
        {
            list.Add(r);
        }

        return list;
    }

    private sealed class PausingCache(IDistributedCache inner) : IDistributedCache
    {
        private TaskCompletionSource? _resume;
        private bool _pauseNext;

        public TaskCompletionSource SetReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void PauseNextSet()
        {
            _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pauseNext = true;
        }

        public void Resume() => _resume?.TrySetResult();

        public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            if (_pauseNext && _resume is { } resume && key.Contains(":s:", StringComparison.Ordinal))
            {
                _pauseNext = false;
                SetReached.TrySetResult();
                await resume.Task;
            }

            await inner.SetAsync(key, value, options, token);
        }

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public byte[]? Get(string key) => throw new NotSupportedException();

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public void Refresh(string key) => throw new NotSupportedException();

        public void Remove(string key) => throw new NotSupportedException();
    }

    private sealed class FailingCache : IDistributedCache
    {
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("connection refused");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new InvalidOperationException("connection refused");

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("connection refused");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("connection refused");

        public byte[]? Get(string key) => throw new NotSupportedException();

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public void Refresh(string key) => throw new NotSupportedException();

        public void Remove(string key) => throw new NotSupportedException();
    }

    private sealed class HangingCache : IDistributedCache
    {
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => new TaskCompletionSource<byte[]?>().Task;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => new TaskCompletionSource().Task;

        public Task RemoveAsync(string key, CancellationToken token = default) => new TaskCompletionSource().Task;

        public Task RefreshAsync(string key, CancellationToken token = default) => new TaskCompletionSource().Task;

        public byte[]? Get(string key) => throw new NotSupportedException();

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public void Refresh(string key) => throw new NotSupportedException();

        public void Remove(string key) => throw new NotSupportedException();
    }
}
