using System.Text;
using AuthKit.Internal.Keys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Core.Tests.Keys;

/// <summary>The managed ring's lifecycle against a real store and a fake clock: created, announced, active, retired, deleted.</summary>
public sealed class ManagedKeySetTests
{
    private static readonly ManagedKeyTimings Timings = new(
        KeyLifetime: TimeSpan.FromDays(90), PropagationDelay: TimeSpan.FromHours(1), RefreshInterval: TimeSpan.FromMinutes(5), RetainAfterActive: TimeSpan.FromDays(14));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ManagedKeySet Set(ISessionStore store, TimeProvider time, string algorithm = "HS256", byte[]? kek = null, string app = "shop") =>
        new("cookies", algorithm, app, Timings, kek, store, time, NullLogger.Instance, metrics: null);

    private static MemorySessionStore Store(TimeProvider time) => new(Options.Create(new MemorySessionStoreOptions()), time);

    [Fact]
    public async Task The_first_key_is_created_in_the_store_and_signs_at_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = Store(time);
        var set = Set(store, time);

        await set.RefreshAsync(Ct);

        var snapshot = set.Snapshot;
        var key = Assert.Single(snapshot.Keys);
        Assert.Same(key, snapshot.Active(time.GetUtcNow()));
        Assert.Equal(32, key.Material.Length);
        var record = await store.GetAsync(set.StoreKey, Ct);
        Assert.NotNull(record);
        Assert.Equal(SessionRecordKind.KeyRing, record.Kind);
        Assert.Null(record.UserId);
        Assert.Contains(key.Id, Encoding.UTF8.GetString(record.Data["keys"].Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_key_is_announced_a_propagation_delay_before_it_signs_and_the_old_one_verifies_until_deleted()
    {
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var store = Store(time);
        var log = new LineLogger();
        var set = new ManagedKeySet("cookies", "HS256", "shop", Timings, null, store, time, log, metrics: null);
        await set.RefreshAsync(Ct);
        var first = set.Snapshot.Keys[0];

        // Not due yet: nothing changes.
        time.Advance(Timings.KeyLifetime - Timings.PropagationDelay - TimeSpan.FromMinutes(1));
        await set.RefreshAsync(Ct);
        Assert.Single(set.Snapshot.Keys);

        // Due: the successor is created, verifies at once, and signs only from the end of the first key's lifetime.
        time.Advance(TimeSpan.FromMinutes(1));
        await set.RefreshAsync(Ct);
        Assert.Equal(2, set.Snapshot.Keys.Count);
        var second = set.Snapshot.Keys.Single(k => k.Id != first.Id);
        Assert.Equal(start + Timings.KeyLifetime, second.ActivatesAt);
        Assert.Equal(first.Id, set.Snapshot.Active(time.GetUtcNow()).Id);
        Assert.Equal(second.ActivatesAt + Timings.RetainAfterActive, set.Snapshot.Keys.Single(k => k.Id == first.Id).DeletesAt);

        time.SetUtcNow(second.ActivatesAt);
        await set.RefreshAsync(Ct);
        Assert.Equal(second.Id, set.Snapshot.Active(time.GetUtcNow()).Id);
        Assert.Contains(log.Lines, l => l.Contains($"key {first.Id} retired", StringComparison.Ordinal));
        Assert.Contains(set.Snapshot.Keys, k => k.Id == first.Id);

        // Retired for as long as anything it signed can live, then deleted from the store.
        time.SetUtcNow(second.ActivatesAt + Timings.RetainAfterActive - TimeSpan.FromSeconds(1));
        await set.RefreshAsync(Ct);
        Assert.Contains(set.Snapshot.Keys, k => k.Id == first.Id);
        time.Advance(TimeSpan.FromSeconds(1));
        await set.RefreshAsync(Ct);
        Assert.DoesNotContain(set.Snapshot.Keys, k => k.Id == first.Id);
        var stored = Encoding.UTF8.GetString((await store.GetAsync(set.StoreKey, Ct))!.Data["keys"].Span);
        Assert.DoesNotContain(first.Id, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_racing_to_create_the_next_key_agree_on_one()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = Store(time);
        var instances = Enumerable.Range(0, 8).Select(_ => Set(store, time)).ToList();
        await Task.WhenAll(instances.Select(i => i.RefreshAsync(Ct)));
        Assert.Single(instances.Select(i => i.Snapshot.Keys.Single().Id).Distinct());

        time.Advance(Timings.KeyLifetime - Timings.PropagationDelay);
        await Task.WhenAll(instances.Select(i => Task.Run(() => i.RefreshAsync(Ct), Ct)));
        await Task.WhenAll(instances.Select(i => i.RefreshAsync(Ct)));

        var rings = instances.Select(i => string.Join(",", i.Snapshot.Keys.Select(k => k.Id))).Distinct().ToList();
        var ring = Assert.Single(rings);
        Assert.Equal(2, ring.Split(',').Length);
    }

    [Fact]
    public async Task With_a_key_encryption_key_the_store_never_holds_a_secret_and_other_instances_need_the_same_key()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = Store(time);
        var kek = new byte[32];
        kek[0] = 1;
        var set = Set(store, time, kek: kek);
        await set.RefreshAsync(Ct);

        var material = set.Snapshot.Keys[0].Material;
        var stored = (await store.GetAsync(set.StoreKey, Ct))!.Data["keys"].ToArray();
        Assert.DoesNotContain(Convert.ToBase64String(material), Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Contains("aesgcm:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);

        var same = Set(store, time, kek: kek);
        await same.RefreshAsync(Ct);
        Assert.Equal(material, same.Snapshot.Keys[0].Material);

        var without = Set(store, time);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => without.RefreshAsync(Ct));
        Assert.Contains("AuthKit:ManagedKeys:KeyEncryptionKey is not set", missing.Message, StringComparison.Ordinal);

        var otherKek = new byte[32];
        var wrong = Set(store, time, kek: otherKek);
        var mismatch = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.RefreshAsync(Ct));
        Assert.Contains("do not open with AuthKit:ManagedKeys:KeyEncryptionKey", mismatch.Message, StringComparison.Ordinal);
        Assert.Throws<SessionStoreException>(() => wrong.Snapshot);
    }

    [Fact]
    public async Task Rings_of_two_apps_in_one_store_are_separate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var store = Store(time);
        var shop = Set(store, time, app: "shop");
        var blog = Set(store, time, app: "blog");
        await shop.RefreshAsync(Ct);
        await blog.RefreshAsync(Ct);
        Assert.NotEqual(shop.StoreKey, blog.StoreKey);
        Assert.NotEqual(shop.Snapshot.Keys[0].Material, blog.Snapshot.Keys[0].Material);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task Asymmetric_rings_hold_a_private_key(string algorithm)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var set = Set(Store(time), time, algorithm);
        await set.RefreshAsync(Ct);
        var key = set.Snapshot.Keys[0];
        Assert.Equal(algorithm, key.Algorithm);
        using var imported = algorithm == "ES256" ? (System.Security.Cryptography.AsymmetricAlgorithm)System.Security.Cryptography.ECDsa.Create() : System.Security.Cryptography.RSA.Create();
        imported.ImportPkcs8PrivateKey(key.Material, out var read);
        Assert.Equal(key.Material.Length, read);
    }

    [Fact]
    public void Before_the_store_answered_the_ring_is_unavailable_not_empty()
    {
        var time = new FakeTimeProvider();
        var set = Set(Store(time), time);
        var ex = Assert.Throws<SessionStoreException>(() => set.Snapshot);
        Assert.Contains("has not been read from the session store yet", ex.Message, StringComparison.Ordinal);
    }

    private sealed class LineLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
