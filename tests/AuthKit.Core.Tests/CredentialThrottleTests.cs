using System.Net;
using AuthKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Core.Tests;

public sealed class CredentialThrottleTests
{
    private static readonly IPAddress Home = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Attacker = IPAddress.Parse("198.51.100.66");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (ICredentialThrottle Throttle, ServiceProvider Provider) Create(FakeTimeProvider time, Action<CredentialThrottleOptions>? configure = null, ISessionStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "k", Secret = Convert.ToBase64String(new byte[32]) }));
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.Configure(configure ?? (_ => { }));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ICredentialThrottle>(), provider);
    }

    private static HttpContext From(IPAddress? address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = address;
        return context;
    }

    private static async Task FailAsync(ICredentialThrottle throttle, string user, IPAddress? from, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            await using var attempt = await throttle.TryAcquireAsync(user, From(from), Ct);
            Assert.True(attempt.IsAcquired, $"attempt {i + 1} was refused: {attempt.Status}");
            await attempt.RecordFailureAsync(CancellationToken.None);
        }
    }

    private static async Task SucceedAsync(ICredentialThrottle throttle, string user, IPAddress? from)
    {
        await using var attempt = await throttle.TryAcquireAsync(user, From(from), Ct);
        Assert.True(attempt.IsAcquired, attempt.Status.ToString());
        await attempt.RecordSuccessAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Attempts_in_flight_count_against_the_limit_so_a_burst_cannot_overshoot_it()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => (o.MaxFailuresPerUser, o.MaxConcurrentPerUser, o.MaxConcurrentPerClient) = (3, 0, 0));
        await using var _ = provider;
        var held = new List<CredentialThrottleLease>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await throttle.TryAcquireAsync("alice", From(Attacker), Ct));
            Assert.True(held[^1].IsAcquired);
        }

        var fourth = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        Assert.False(fourth.IsAcquired);
        Assert.Equal(CredentialThrottleLimit.UserFailures, fourth.Status.Limit);
        Assert.Equal(1, fourth.Status.RetryAfterSeconds);

        // A slot given back unrecorded (the check could not run) frees it; a recorded failure keeps it counted.
        await held[0].DisposeAsync();
        await held[1].RecordFailureAsync(Ct);
        await held[1].DisposeAsync();
        await using var again = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        Assert.True(again.IsAcquired);
        Assert.False((await throttle.TryAcquireAsync("alice", From(Attacker), Ct)).IsAcquired);
    }

    [Fact]
    public async Task Concurrent_checks_are_capped_per_user_and_per_client()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => (o.MaxConcurrentPerUser, o.MaxConcurrentPerClient) = (2, 3));
        await using var _ = provider;
        var a = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        var b = await throttle.TryAcquireAsync("alice", From(Home), Ct);
        Assert.True(a.IsAcquired && b.IsAcquired);
        var c = await throttle.TryAcquireAsync("alice", From(IPAddress.Parse("192.0.2.1")), Ct);
        Assert.Equal(CredentialThrottleLimit.UserConcurrency, c.Status.Limit);

        var d = await throttle.TryAcquireAsync("bob", From(Attacker), Ct);
        var e = await throttle.TryAcquireAsync("carol", From(Attacker), Ct);
        Assert.True(d.IsAcquired && e.IsAcquired);
        Assert.Equal(CredentialThrottleLimit.ClientConcurrency, (await throttle.TryAcquireAsync("dave", From(Attacker), Ct)).Status.Limit);

        await a.DisposeAsync();
        Assert.True((await throttle.TryAcquireAsync("dave", From(Attacker), Ct)).IsAcquired);
    }

    [Fact]
    public async Task A_strangers_failures_do_not_lock_the_user_out_of_a_client_they_signed_in_from()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time);
        await using var _ = provider;
        await SucceedAsync(throttle, "alice", Home);
        time.Advance(TimeSpan.FromDays(3));

        await FailAsync(throttle, "alice", Attacker, times: 10);
        var refused = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        Assert.Equal(CredentialThrottleLimit.UserFailures, refused.Status.Limit);
        Assert.Equal(300, refused.Status.RetryAfterSeconds);
        Assert.True((await throttle.CheckAsync("alice", From(Attacker), Ct)).IsThrottled);

        // Alice's client: checked, and allowed to try (its own budget), under another spelling of her name too.
        Assert.False((await throttle.CheckAsync("alice", From(Home), Ct)).IsThrottled);
        await SucceedAsync(throttle, "ALICE", Home);

        // A client she never used waits with the strangers.
        Assert.Equal(CredentialThrottleLimit.UserFailures, (await throttle.TryAcquireAsync("alice", From(IPAddress.Parse("192.0.2.9")), Ct)).Status.Limit);

        // Known clients are forgotten after KnownClientLifetime (30 days) without a sign-in.
        time.Advance(TimeSpan.FromDays(30));
        await FailAsync(throttle, "alice", Attacker, times: 10);
        Assert.True((await throttle.CheckAsync("alice", From(Home), Ct)).IsThrottled);
    }

    [Fact]
    public async Task A_known_client_is_held_to_its_own_budget_and_a_success_clears_it()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => o.MaxFailuresPerKnownClient = 3);
        await using var _ = provider;
        await SucceedAsync(throttle, "alice", Home);
        await FailAsync(throttle, "alice", Home, times: 3);
        var refused = await throttle.TryAcquireAsync("alice", From(Home), Ct);
        Assert.Equal(CredentialThrottleLimit.KnownClientFailures, refused.Status.Limit);
        Assert.True((await throttle.CheckAsync("alice", From(Home), Ct)).IsThrottled);

        time.Advance(TimeSpan.FromMinutes(5));
        await SucceedAsync(throttle, "alice", Home);
        await FailAsync(throttle, "alice", Home, times: 3);
    }

    [Fact]
    public async Task A_client_spraying_user_names_is_refused_for_every_name()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => o.MaxFailuresPerClient = 5);
        await using var _ = provider;
        for (var i = 0; i < 5; i++)
        {
            await FailAsync(throttle, "user" + i, Attacker);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var refused = await throttle.CheckAsync("alice", From(Attacker), Ct);
        Assert.Equal(CredentialThrottleLimit.ClientFailures, refused.Limit);
        Assert.Equal(295, refused.RetryAfterSeconds);
        Assert.False((await throttle.CheckAsync("alice", From(Home), Ct)).IsThrottled);
    }

    [Fact]
    public async Task Requests_without_a_remote_address_share_one_budget()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => (o.MaxFailuresPerUser, o.MaxFailuresPerClient) = (0, 2));
        await using var _ = provider;
        await FailAsync(throttle, "a", null);
        await FailAsync(throttle, "b", null);
        Assert.Equal(CredentialThrottleLimit.ClientFailures, (await throttle.TryAcquireAsync("c", From(null), Ct)).Status.Limit);
    }

    [Fact]
    public async Task Recording_twice_or_disposing_after_recording_counts_one_attempt()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => o.MaxFailuresPerUser = 2);
        await using var _ = provider;
        var attempt = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        await attempt.RecordFailureAsync(Ct);
        await attempt.RecordFailureAsync(Ct);
        await attempt.RecordSuccessAsync(Ct);
        await attempt.DisposeAsync();
        await FailAsync(throttle, "alice", Attacker);
        Assert.False((await throttle.TryAcquireAsync("alice", From(Attacker), Ct)).IsAcquired);
    }

    [Fact]
    public async Task Instances_sharing_a_store_count_together()
    {
        var time = new FakeTimeProvider();
        var store = new SharedMemoryStore(time);
        var (a, pa) = Create(time, null, store);
        var (b, pb) = Create(time, null, store);
        await using var _ = pa;
        await using var __ = pb;

        await SucceedAsync(a, "alice", Home);
        for (var i = 0; i < 5; i++)
        {
            await FailAsync(a, "alice", Attacker);
            await FailAsync(b, "alice", Attacker);
        }

        // 10 failures in all (5 per instance): both refuse the next, and both still serve alice's known client.
        Assert.Equal(CredentialThrottleLimit.UserFailures, (await a.TryAcquireAsync("alice", From(Attacker), Ct)).Status.Limit);
        Assert.Equal(CredentialThrottleLimit.UserFailures, (await b.TryAcquireAsync("alice", From(Attacker), Ct)).Status.Limit);
        Assert.True((await b.CheckAsync("alice", From(Attacker), Ct)).IsThrottled);
        Assert.False((await b.CheckAsync("alice", From(Home), Ct)).IsThrottled);
        await SucceedAsync(b, "alice", Home);

        // The counts are store records of their own kind, outside every user's index.
        Assert.True(store.Records.Count >= 2);
        Assert.All(store.Records.Values, r => Assert.Equal(SessionRecordKind.CredentialThrottle, r.Kind));
        Assert.All(store.Records.Values, r => Assert.Null(r.UserId));
        await foreach (var record in store.ListByUserAsync("alice", Ct))
        {
            Assert.Fail($"A throttle record is in alice's index: {record.Key}");
        }
    }

    [Fact]
    public async Task Concurrent_reservations_on_a_shared_store_never_exceed_the_limit()
    {
        var time = new FakeTimeProvider();
        var store = new SharedMemoryStore(time);
        void Limits(CredentialThrottleOptions o) => (o.MaxFailuresPerUser, o.MaxConcurrentPerUser, o.MaxConcurrentPerClient) = (10, 0, 0);
        var (a, pa) = Create(time, Limits, store);
        var (b, pb) = Create(time, Limits, store);
        await using var _ = pa;
        await using var __ = pb;

        var leases = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? a : b).TryAcquireAsync("alice", From(Attacker), Ct))));
        var acquired = leases.Count(l => l.IsAcquired);
        Assert.InRange(acquired, 1, 10);
        Assert.All(leases.Where(l => !l.IsAcquired), l => Assert.Contains(l.Status.Limit, new[] { CredentialThrottleLimit.UserFailures, CredentialThrottleLimit.ClientFailures, CredentialThrottleLimit.Capacity }));
    }

    [Fact]
    public async Task Automatic_storage_uses_memory_for_a_process_local_store()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time);
        await using var _ = provider;
        await FailAsync(throttle, "alice", Attacker, times: 3);
        var internals = Assert.IsType<CredentialThrottle>(throttle);
        Assert.Equal(1, internals.Memory.UserCount);
        Assert.Equal(0, provider.GetRequiredService<MemorySessionStore>().Count);
    }

    [Fact]
    public async Task A_full_memory_table_refuses_names_it_cannot_track_rather_than_let_them_through()
    {
        var time = new FakeTimeProvider();
        var (throttle, provider) = Create(time, o => (o.MaxTrackedEntries, o.MaxFailuresPerClient) = (100, 0));
        await using var _ = provider;
        for (var i = 0; i < 100; i++)
        {
            await FailAsync(throttle, "user" + i, Attacker);
        }

        var refused = await throttle.TryAcquireAsync("alice", From(Attacker), Ct);
        Assert.Equal(CredentialThrottleLimit.Capacity, refused.Status.Limit);

        // Names already tracked keep their counts, and once the window has passed the table makes room again.
        Assert.True((await throttle.TryAcquireAsync("user1", From(Attacker), Ct)).IsAcquired);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await throttle.TryAcquireAsync("alice", From(Attacker), Ct)).IsAcquired);
    }

    /// <summary>The memory store, reporting itself shared: what a file, Redis or distributed-cache store looks like to the throttle.</summary>
    private sealed class SharedMemoryStore(TimeProvider time) : ISessionStore
    {
        private readonly MemorySessionStore _inner = new(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), time);

        public System.Collections.Concurrent.ConcurrentDictionary<SessionKey, SessionRecord> Records { get; } = new();

        public StoreCapabilities Capabilities => StoreCapabilities.AtomicUpdate | StoreCapabilities.SharedAcrossProcesses;

        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
        {
            var done = await _inner.CreateAsync(record, cancellationToken);
            if (done)
            {
                Records[record.Key] = record;
            }

            return done;
        }

        public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
        {
            var done = await _inner.UpdateAsync(record, expectedVersion, cancellationToken);
            if (done)
            {
                Records[record.Key] = record;
            }

            return done;
        }

        public ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

        public ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default) => _inner.RemoveByUserAsync(userId, cancellationToken);

        public IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, CancellationToken cancellationToken = default) => _inner.ListByUserAsync(userId, cancellationToken);
    }
}
