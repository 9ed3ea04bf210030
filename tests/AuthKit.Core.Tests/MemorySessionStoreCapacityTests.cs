using AuthKit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Core.Tests;

public sealed class MemorySessionStoreCapacityTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private MemorySessionStore CreateStore(int max) =>
        new(Options.Create(new MemorySessionStoreOptions { MaxRecords = max, SweepInterval = TimeSpan.FromMinutes(1) }), _time);

    private SessionRecord NewRecord(TimeSpan idle, string? user = "alice")
    {
        var now = _time.GetUtcNow();
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            UserId = user,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + idle,
            AbsoluteExpiresAt = now + TimeSpan.FromHours(8),
        };
    }

    [Fact]
    public async Task Store_at_its_cap_refuses_new_records_but_still_serves_reads_and_updates()
    {
        using var store = CreateStore(3);
        var records = Enumerable.Range(0, 3).Select(_ => NewRecord(TimeSpan.FromHours(1))).ToList();
        foreach (var r in records)
        {
            Assert.True(await store.CreateAsync(r, TestContext.Current.CancellationToken));
        }

        var ex = await Assert.ThrowsAsync<SessionStoreFullException>(async () => await store.CreateAsync(NewRecord(TimeSpan.FromHours(1)), TestContext.Current.CancellationToken));
        Assert.Contains("MaxRecords", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<SessionStoreException>(ex);

        foreach (var r in records)
        {
            Assert.NotNull(await store.GetAsync(r.Key, TestContext.Current.CancellationToken));
        }

        Assert.True(await store.UpdateAsync(records[0] with { LastSeenAt = _time.GetUtcNow() }, 1, TestContext.Current.CancellationToken));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task Store_at_its_cap_makes_room_by_sweeping_expired_records()
    {
        using var store = CreateStore(2);
        await store.CreateAsync(NewRecord(TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        await store.CreateAsync(NewRecord(TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(30)); // also fires the 1-minute sweep timer
        Assert.True(await store.CreateAsync(NewRecord(TimeSpan.FromHours(1)), TestContext.Current.CancellationToken));
        Assert.True(await store.CreateAsync(NewRecord(TimeSpan.FromHours(1)), TestContext.Current.CancellationToken));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Emergency_sweep_at_the_cap_frees_expired_records_without_waiting_for_the_timer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions { MaxRecords = 2, SweepInterval = TimeSpan.FromHours(1) }), time);
        var now = time.GetUtcNow();
        SessionRecord Rec(TimeSpan idle) => new() { Key = SessionKey.FromSessionId(SessionIds.Create()), CreatedAt = now, LastSeenAt = now, IdleExpiresAt = now + idle, AbsoluteExpiresAt = now + TimeSpan.FromHours(8) };
        await store.CreateAsync(Rec(TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
        await store.CreateAsync(Rec(TimeSpan.FromSeconds(10)), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.CreateAsync(Rec(TimeSpan.FromMinutes(10)), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Background_sweep_removes_expired_records_and_their_index_entries()
    {
        using var store = CreateStore(100);
        for (var i = 0; i < 10; i++)
        {
            await store.CreateAsync(NewRecord(TimeSpan.FromMinutes(5)), TestContext.Current.CancellationToken);
        }

        var keeper = NewRecord(TimeSpan.FromHours(1));
        await store.CreateAsync(keeper, TestContext.Current.CancellationToken);
        Assert.Equal(11, store.Count);
        _time.Advance(TimeSpan.FromMinutes(6)); // the sweep timer fires every minute
        Assert.Equal(1, store.Count);
        var listed = new List<SessionRecord>();
        await foreach (var r in store.ListByUserAsync("alice", TestContext.Current.CancellationToken))
        {
            listed.Add(r);
        }

        Assert.Equal([keeper.Key], listed.Select(r => r.Key));
    }

    [Fact]
    public void Options_setters_accept_anything_and_the_store_reports_every_problem_at_once()
    {
        var o = new MemorySessionStoreOptions { MaxRecords = 0, SweepInterval = TimeSpan.Zero };
        var ex = Assert.Throws<OptionsValidationException>(() => new MemorySessionStore(Options.Create(o), _time));
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:MemoryStore:MaxRecords", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:MemoryStore:SweepInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_memory_store_options_stop_the_host_at_start_with_every_problem()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddLogging();
        services.AddAuthKit().UseMemorySessionStore(o =>
        {
            o.MaxRecords = -1;
            o.SweepInterval = TimeSpan.FromMilliseconds(1);
        });
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MemorySessionStoreOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public async Task SweepAsync_removes_expired_records_now()
    {
        using var store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions { SweepInterval = TimeSpan.FromHours(1) }), _time);
        await store.CreateAsync(NewRecord(TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        await store.CreateAsync(NewRecord(TimeSpan.FromHours(1)), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await store.SweepAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, store.Count);
    }
}
