using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AuthKit.Testing;

/// <summary>
/// The <see cref="ISessionStore"/> contract as tests. A store's test project derives from this class and implements
/// <see cref="CreateStoreAsync"/>; every store in AuthKit passes it, and a third-party store can run it too.
/// </summary>
/// <remarks>
/// Cases that need a capability the store does not claim (<see cref="StoreCapabilities.AtomicUpdate"/>) are reported as
/// skipped with that reason. Time is a <see cref="FakeTimeProvider"/> that starts at the real current time, so stores that
/// also set a server-side TTL compute sane values.
/// </remarks>
public abstract class SessionStoreConformanceTests : IAsyncLifetime
{
    private ISessionStore? _store;

    /// <summary>The clock the store under test must read.</summary>
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The store under test.</summary>
    protected ISessionStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>How many concurrent updaters the version-conflict test runs.</summary>
    protected virtual int ConcurrentWriters => 16;

    /// <summary>
    /// How many times each race case (a removal racing a stream of writes) is repeated (100 by default). Every trial is
    /// bounded; lower it for a slow store, raise it to hunt a rare interleaving.
    /// </summary>
    protected virtual int RaceTrials => 100;

    /// <summary>Creates a fresh, empty store that reads time from <paramref name="timeProvider"/>.</summary>
    protected abstract ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider);

    /// <summary>Releases the store; disposes it by default.</summary>
    protected virtual async ValueTask DisposeStoreAsync(ISessionStore store)
    {
        switch (store)
        {
            case IAsyncDisposable a:
                await a.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> where the store keeps the record for <paramref name="key"/>, bypassing the serializer.
    /// Returns <see langword="false"/> when the store keeps objects rather than bytes (the corrupt-record cases are then skipped).
    /// </summary>
    protected virtual ValueTask<bool> WriteCorruptRecordAsync(SessionKey key, byte[] bytes) => new(false);

    /// <summary>
    /// Everything the store holds (keys, names and values), as raw bytes; <see langword="null"/> when the store cannot be inspected.
    /// </summary>
    protected virtual ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync() => new((IReadOnlyList<byte[]>?)null);

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(Time).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store).ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Builds a record for a new random ID, with a principal and a small data bag. A user's ID carries the user's slot tag,
    /// as the IDs AuthKit issues at sign-in do (see <see cref="SessionKey.SlotTag"/>).
    /// </summary>
    protected (string Id, SessionRecord Record) NewRecord(string? userId = "alice", TimeSpan? idle = null, TimeSpan? absolute = null)
    {
        var id = SessionIds.Create(userId);
        var now = Time.GetUtcNow();
        ClaimsPrincipal? principal = null;
        if (userId is not null)
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, userId), new Claim(ClaimTypes.Role, "reader"), new Claim(ClaimTypes.Role, "writer")], "AuthKit.Session");
            principal = new ClaimsPrincipal(identity);
        }

        var record = new SessionRecord
        {
            Key = SessionKey.FromSessionId(id),
            UserId = userId,
            Principal = principal,
            AuthenticationScheme = principal is null ? null : "AuthKit.Session",
            Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = "3 apples"u8.ToArray(), ["bin"] = new byte[] { 0, 1, 2, 255 } },
            Metadata = new Dictionary<string, string> { ["browser"] = "Firefox 128", ["os"] = "Windows" },
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(20)),
            AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(8)),
        };
        return (id, record);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<SessionRecord>> ListAsync(string userId)
    {
        var list = new List<SessionRecord>();
        await foreach (var r in Store.ListByUserAsync(userId, Ct).ConfigureAwait(false))
        {
            list.Add(r);
        }

        return list;
    }

    private static void AssertSameContent(SessionRecord expected, SessionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.AuthenticationScheme, actual.AuthenticationScheme);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.LastSeenAt, actual.LastSeenAt);
        Assert.Equal(expected.IdleExpiresAt, actual.IdleExpiresAt);
        Assert.Equal(expected.AbsoluteExpiresAt, actual.AbsoluteExpiresAt);
        Assert.Equal(expected.Data.Keys.Order(), actual.Data.Keys.Order());
        foreach (var (name, value) in expected.Data)
        {
            Assert.Equal(value.ToArray(), actual.Data[name].ToArray());
        }

        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));

        if (expected.Principal is null)
        {
            Assert.Null(actual.Principal);
        }
        else
        {
            Assert.NotNull(actual.Principal);
            Assert.Equal(
                expected.Principal.Claims.Select(c => (c.Type, c.Value)),
                actual.Principal.Claims.Select(c => (c.Type, c.Value)));
            Assert.Equal(expected.Principal.Identity?.AuthenticationType, actual.Principal.Identity?.AuthenticationType);
        }
    }

    /// <summary>A created record reads back whole, with version 1.</summary>
    [Fact]
    public async Task Create_then_get_returns_the_record_with_version_1()
    {
        var (_, record) = NewRecord();
        Assert.True(await Store.CreateAsync(record, Ct));
        var read = await Store.GetAsync(record.Key, Ct);
        AssertSameContent(record, read);
        Assert.Equal(1, read!.Version);
    }

    /// <summary>Anonymous records (no user, no principal) round-trip.</summary>
    [Fact]
    public async Task Anonymous_record_round_trips()
    {
        var (_, record) = NewRecord(userId: null);
        Assert.True(await Store.CreateAsync(record, Ct));
        AssertSameContent(record, await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>Every record kind round-trips.</summary>
    [Theory]
    [InlineData(SessionRecordKind.Session)]
    [InlineData(SessionRecordKind.RefreshToken)]
    [InlineData(SessionRecordKind.RevokedToken)]
    public async Task Record_kind_round_trips(SessionRecordKind kind)
    {
        var (_, record) = NewRecord();
        record = record with { Kind = kind };
        Assert.True(await Store.CreateAsync(record, Ct));
        AssertSameContent(record, await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>A missing key reads as null, not as an error.</summary>
    [Fact]
    public async Task Get_of_a_missing_key_returns_null()
    {
        Assert.Null(await Store.GetAsync(SessionKey.FromSessionId(SessionIds.Create()), Ct));
    }

    /// <summary>Create does not overwrite a live record.</summary>
    [Fact]
    public async Task Create_of_an_existing_key_returns_false_and_keeps_the_first()
    {
        var (_, record) = NewRecord();
        Assert.True(await Store.CreateAsync(record, Ct));
        var other = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["x"] = new byte[] { 9 } } };
        Assert.False(await Store.CreateAsync(other, Ct));
        AssertSameContent(record, await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>Update with the stored version succeeds and bumps it.</summary>
    [Fact]
    public async Task Update_with_the_expected_version_succeeds_and_bumps_the_version()
    {
        var (_, record) = NewRecord();
        await Store.CreateAsync(record, Ct);
        var changed = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = "4 apples"u8.ToArray() }, LastSeenAt = record.LastSeenAt.AddMinutes(1) };
        Assert.True(await Store.UpdateAsync(changed, expectedVersion: 1, Ct));
        var read = await Store.GetAsync(record.Key, Ct);
        AssertSameContent(changed, read);
        Assert.Equal(2, read!.Version);
        Assert.True(await Store.UpdateAsync(changed, expectedVersion: 2, Ct));
        Assert.Equal(3, (await Store.GetAsync(record.Key, Ct))!.Version);
    }

    /// <summary>Update with a stale version fails and leaves the stored record alone.</summary>
    [Fact]
    public async Task Update_with_a_stale_version_fails_and_keeps_the_stored_record()
    {
        Assert.SkipUnless(Store.Capabilities.HasFlag(StoreCapabilities.AtomicUpdate), "The store does not claim compare-and-set (StoreCapabilities.AtomicUpdate): last writer wins.");
        var (_, record) = NewRecord();
        await Store.CreateAsync(record, Ct);
        var first = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = new byte[] { 1 } } };
        Assert.True(await Store.UpdateAsync(first, 1, Ct));
        var stale = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["b"] = new byte[] { 2 } } };
        Assert.False(await Store.UpdateAsync(stale, 1, Ct));
        AssertSameContent(first, await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>Update of a missing record fails and does not create it.</summary>
    [Fact]
    public async Task Update_of_a_missing_record_returns_false_and_creates_nothing()
    {
        var (_, record) = NewRecord();
        Assert.False(await Store.UpdateAsync(record, 1, Ct));
        Assert.Null(await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>Of many concurrent updates from the same version, exactly one wins.</summary>
    [Fact]
    public async Task Concurrent_updates_from_one_version_exactly_one_wins()
    {
        Assert.SkipUnless(Store.Capabilities.HasFlag(StoreCapabilities.AtomicUpdate), "The store does not claim compare-and-set (StoreCapabilities.AtomicUpdate): last writer wins.");
        var (_, record) = NewRecord();
        await Store.CreateAsync(record, Ct);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, ConcurrentWriters).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            var mine = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["writer"] = new byte[] { (byte)i } } };
            return (i, await Store.UpdateAsync(mine, 1, Ct));
        }, Ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);
        var winners = results.Where(r => r.Item2).ToList();
        Assert.Single(winners);
        var stored = await Store.GetAsync(record.Key, Ct);
        Assert.Equal(2, stored!.Version);
        Assert.Equal([(byte)winners[0].i], stored.Data["writer"].ToArray());
    }

    /// <summary>Of many concurrent creates of one key, exactly one wins.</summary>
    [Fact]
    public async Task Concurrent_creates_of_one_key_exactly_one_wins()
    {
        Assert.SkipUnless(Store.Capabilities.HasFlag(StoreCapabilities.AtomicUpdate), "The store does not claim atomic writes (StoreCapabilities.AtomicUpdate).");
        var (_, record) = NewRecord();
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, ConcurrentWriters).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Store.CreateAsync(record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["w"] = new byte[] { (byte)i } } }, Ct);
        }, Ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);
        Assert.Single(results, r => r);
    }

    /// <summary>Remove deletes the record; removing again reports nothing removed.</summary>
    [Fact]
    public async Task Remove_deletes_the_record()
    {
        var (_, record) = NewRecord();
        await Store.CreateAsync(record, Ct);
        Assert.True(await Store.RemoveAsync(record.Key, Ct));
        Assert.Null(await Store.GetAsync(record.Key, Ct));
        Assert.False(await Store.RemoveAsync(record.Key, Ct));
        Assert.False(await Store.UpdateAsync(record, 1, Ct));
    }

    /// <summary>The idle expiry makes a record absent for every method.</summary>
    [Fact]
    public async Task Record_past_its_idle_expiry_is_absent()
    {
        var (_, record) = NewRecord(idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromHours(1));
        await Store.CreateAsync(record, Ct);
        Time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(await Store.GetAsync(record.Key, Ct));
        Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Null(await Store.GetAsync(record.Key, Ct));
        Assert.False(await Store.UpdateAsync(record, 1, Ct));
        Assert.DoesNotContain(await ListAsync("alice"), r => r.Key == record.Key);
    }

    /// <summary>A sliding update moves the idle expiry; the absolute expiry still ends the record.</summary>
    [Fact]
    public async Task Sliding_update_extends_idle_expiry_but_not_past_the_absolute_expiry()
    {
        var (_, record) = NewRecord(idle: TimeSpan.FromMinutes(10), absolute: TimeSpan.FromMinutes(25));
        await Store.CreateAsync(record, Ct);
        var version = 1L;
        for (var i = 0; i < 2; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(8));
            var now = Time.GetUtcNow();
            var slid = record with { LastSeenAt = now, IdleExpiresAt = now.AddMinutes(10) };
            Assert.True(await Store.UpdateAsync(slid, version, Ct));
            version++;
        }

        Time.Advance(TimeSpan.FromMinutes(8)); // 24 minutes in: idle still fine (8 < 10), absolute not yet
        Assert.NotNull(await Store.GetAsync(record.Key, Ct));
        Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)); // past 25: absolute expiry
        Assert.Null(await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>The absolute expiry ends a record even while it is used.</summary>
    [Fact]
    public async Task Record_past_its_absolute_expiry_is_absent()
    {
        var (_, record) = NewRecord(idle: TimeSpan.FromHours(2), absolute: TimeSpan.FromMinutes(30));
        await Store.CreateAsync(record, Ct);
        Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>An expired record's key can be used again.</summary>
    [Fact]
    public async Task Create_over_an_expired_record_succeeds()
    {
        var (_, record) = NewRecord(idle: TimeSpan.FromMinutes(1));
        await Store.CreateAsync(record, Ct);
        Time.Advance(TimeSpan.FromMinutes(2));
        var now = Time.GetUtcNow();
        var fresh = record with { CreatedAt = now, LastSeenAt = now, IdleExpiresAt = now.AddMinutes(5), AbsoluteExpiresAt = now.AddHours(1) };
        Assert.True(await Store.CreateAsync(fresh, Ct));
        var read = await Store.GetAsync(record.Key, Ct);
        AssertSameContent(fresh, read);
        Assert.Equal(1, read!.Version);
    }

    /// <summary>The per-user index follows create, update and remove.</summary>
    [Fact]
    public async Task User_index_follows_create_update_and_remove()
    {
        var a1 = NewRecord("alice").Record;
        var a2 = NewRecord("alice").Record;
        var a3 = NewRecord("alice").Record;
        var b1 = NewRecord("bob").Record;
        foreach (var r in new[] { a1, a2, a3, b1 })
        {
            Assert.True(await Store.CreateAsync(r, Ct));
        }

        Assert.Equal(new[] { a1.Key, a2.Key, a3.Key }.OrderBy(k => k.ToString()), (await ListAsync("alice")).Select(r => r.Key).OrderBy(k => k.ToString()));
        Assert.Equal([b1.Key], (await ListAsync("bob")).Select(r => r.Key));

        Assert.True(await Store.UpdateAsync(a2 with { Data = new Dictionary<string, ReadOnlyMemory<byte>>() }, 1, Ct));
        Assert.Equal(3, (await ListAsync("alice")).Count);

        Assert.True(await Store.RemoveAsync(a1.Key, Ct));
        Assert.Equal(new[] { a2.Key, a3.Key }.OrderBy(k => k.ToString()), (await ListAsync("alice")).Select(r => r.Key).OrderBy(k => k.ToString()));
        Assert.Empty(await ListAsync("carol"));
    }

    /// <summary>Remove-by-user removes exactly that user's records.</summary>
    [Fact]
    public async Task Remove_by_user_removes_every_record_of_that_user_and_only_those()
    {
        var alice = Enumerable.Range(0, 5).Select(_ => NewRecord("alice").Record).ToList();
        var bob = NewRecord("bob").Record;
        var anonymous = NewRecord(null).Record;
        foreach (var r in alice.Append(bob).Append(anonymous))
        {
            Assert.True(await Store.CreateAsync(r, Ct));
        }

        Assert.Equal(5, await Store.RemoveByUserAsync("alice", Ct));
        foreach (var r in alice)
        {
            Assert.Null(await Store.GetAsync(r.Key, Ct));
        }

        Assert.Empty(await ListAsync("alice"));
        Assert.NotNull(await Store.GetAsync(bob.Key, Ct));
        Assert.NotNull(await Store.GetAsync(anonymous.Key, Ct));
        Assert.Equal(0, await Store.RemoveByUserAsync("alice", Ct));
        Assert.Equal(0, await Store.RemoveByUserAsync("nobody", Ct));

        var again = NewRecord("alice").Record;
        Assert.True(await Store.CreateAsync(again, Ct));
        Assert.Equal([again.Key], (await ListAsync("alice")).Select(r => r.Key));
    }

    /// <summary>Expired records drop out of the per-user index.</summary>
    [Fact]
    public async Task User_index_omits_expired_records()
    {
        var shortLived = NewRecord("alice", idle: TimeSpan.FromMinutes(1)).Record;
        var longLived = NewRecord("alice", idle: TimeSpan.FromHours(1)).Record;
        await Store.CreateAsync(shortLived, Ct);
        await Store.CreateAsync(longLived, Ct);
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([longLived.Key], (await ListAsync("alice")).Select(r => r.Key));
        Assert.Equal(1, await Store.RemoveByUserAsync("alice", Ct));
    }

    /// <summary>Records created while another thread removes the user are either removed or survive whole.</summary>
    [Fact]
    public async Task Remove_by_user_racing_creates_leaves_no_half_state()
    {
        Assert.SkipUnless(Store.Capabilities.HasFlag(StoreCapabilities.ExactUserIndex), "The store's per-user index is best effort (no StoreCapabilities.ExactUserIndex).");
        var records = Enumerable.Range(0, 40).Select(_ => NewRecord("alice").Record).ToList();
        var creates = Task.Run(async () =>
        {
            foreach (var r in records)
            {
                await Store.CreateAsync(r, Ct);
            }
        }, Ct);
        var removed = 0;
        for (var i = 0; i < 5; i++)
        {
            removed += await Store.RemoveByUserAsync("alice", Ct);
        }

        await creates;
        var listed = (await ListAsync("alice")).Select(r => r.Key).ToHashSet();
        var alive = 0;
        foreach (var r in records)
        {
            var read = await Store.GetAsync(r.Key, Ct);
            if (read is not null)
            {
                alive++;
                Assert.Contains(r.Key, listed);
            }
        }

        Assert.Equal(records.Count, alive + removed);
        Assert.Equal(alive, listed.Count);
        Assert.Equal(alive, await Store.RemoveByUserAsync("alice", Ct));
    }

    /// <summary>
    /// A removed record stays removed: an update racing <see cref="ISessionStore.RemoveAsync"/> (one that read the record
    /// before the removal and writes after it) never brings it back, and every update after the removal fails.
    /// </summary>
    [Fact]
    public async Task Removed_record_stays_removed_when_updates_race_the_removal()
    {
        for (var trial = 0; trial < RaceTrials; trial++)
        {
            var user = "race-remove-" + trial;
            var record = NewRecord(user).Record;
            Assert.True(await Store.CreateAsync(record, Ct));
            var updaters = await RaceUpdatesAsync([record], () => Store.RemoveAsync(record.Key, Ct).AsTask());
            await AssertRemovedAsync(trial, user, [record], updaters);
        }
    }

    /// <summary>
    /// "Sign out everywhere" is final: updates racing <see cref="ISessionStore.RemoveByUserAsync"/> (the user's requests
    /// still running on other servers) never leave one of the user's records alive, listed or not.
    /// </summary>
    /// <remarks>
    /// A store without <see cref="StoreCapabilities.ExactUserIndex"/> may lose index entries (a cache evicting under
    /// pressure): a trial whose records are not all listed before the race proves nothing and is not counted, but most
    /// trials must count.
    /// </remarks>
    [Fact]
    public async Task Remove_by_user_is_final_when_updates_race_it()
    {
        var exact = Store.Capabilities.HasFlag(StoreCapabilities.ExactUserIndex);
        var counted = 0;
        for (var trial = 0; trial < RaceTrials; trial++)
        {
            var user = "race-user-" + trial;
            var records = Enumerable.Range(0, 4).Select(_ => NewRecord(user).Record).ToList();
            foreach (var r in records)
            {
                Assert.True(await Store.CreateAsync(r, Ct));
            }

            if (!exact && (await ListAsync(user)).Count != records.Count)
            {
                await Store.RemoveByUserAsync(user, Ct);
                foreach (var r in records)
                {
                    await Store.RemoveAsync(r.Key, Ct);
                }

                continue;
            }

            counted++;
            var updaters = await RaceUpdatesAsync(records, () => Store.RemoveByUserAsync(user, Ct).AsTask());
            await AssertRemovedAsync(trial, user, records, updaters);
        }

        Assert.True(counted * 2 >= RaceTrials, $"Only {counted} of {RaceTrials} trials started with a complete user index.");
    }

    /// <summary>
    /// A sign-in (an anonymous record updated to carry the user) racing <see cref="ISessionStore.RemoveByUserAsync"/> ends
    /// either removed or alive and in the user's index, where a second removal finds it; never alive and unlisted.
    /// </summary>
    [Fact]
    public async Task Remove_by_user_racing_a_sign_in_leaves_the_record_removed_or_listed()
    {
        Assert.SkipUnless(Store.Capabilities.HasFlag(StoreCapabilities.ExactUserIndex), "The store's per-user index is best effort (no StoreCapabilities.ExactUserIndex).");
        for (var trial = 0; trial < RaceTrials; trial++)
        {
            var user = "race-sign-in-" + trial;
            var existing = NewRecord(user).Record;

            // An anonymous record whose ID carries the user's slot tag, so a partitioned store can move it to the user.
            var anonymous = NewRecord(null).Record with { Key = SessionKey.FromSessionId(SessionIds.Create(user)) };
            Assert.True(await Store.CreateAsync(existing, Ct));
            Assert.True(await Store.CreateAsync(anonymous, Ct));
            var signedIn = NewRecord(user).Record with { Key = anonymous.Key };
            var signIn = Task.Run(async () => await Store.UpdateAsync(signedIn, 1, Ct), Ct);
            await Store.RemoveByUserAsync(user, Ct);
            await signIn.WaitAsync(RaceTimeout, Ct);

            Assert.Null(await Store.GetAsync(existing.Key, Ct));
            var read = await Store.GetAsync(anonymous.Key, Ct);
            var listed = (await ListAsync(user)).Select(r => r.Key).ToList();
            if (read?.UserId == user)
            {
                Assert.True(listed.Contains(anonymous.Key), $"Trial {trial}: the signed-in record is alive but missing from the user's index.");
                Assert.Equal(1, await Store.RemoveByUserAsync(user, Ct));
                Assert.Null(await Store.GetAsync(anonymous.Key, Ct));
            }
            else
            {
                Assert.Empty(listed);
            }
        }
    }

    private static readonly TimeSpan RaceTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts one updater per record, each on its own thread writing new versions in a loop; once every updater has
    /// written once, runs <paramref name="removal"/>. An updater stops at its first failed update, or after three successes
    /// once the removal has returned (a store that lets updates through after a removal is broken: the caller's checks then
    /// fail), or at the latest after <see cref="RaceTimeout"/>.
    /// </summary>
    private async Task<List<(SessionRecord Record, long Version)>> RaceUpdatesAsync(IReadOnlyList<SessionRecord> records, Func<Task> removal)
    {
        var removed = 0;
        var started = records.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var deadline = Environment.TickCount64 + (long)RaceTimeout.TotalMilliseconds;

        // Dedicated threads: a store that completes synchronously would otherwise hold every pool thread, and the removal
        // would only start once the updaters had given up.
        var updaters = records.Select((record, i) => Task.Factory.StartNew(
            async () =>
            {
                var version = 1L;
                var afterRemoval = 0;
                try
                {
                    for (var n = 0; Environment.TickCount64 < deadline; n++)
                    {
                        var next = record with { Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["n"] = BitConverter.GetBytes(n) }, LastSeenAt = Time.GetUtcNow() };
                        if (!await Store.UpdateAsync(next, version, Ct).ConfigureAwait(false))
                        {
                            break;
                        }

                        version++;
                        started[i].TrySetResult();
                        if (Volatile.Read(ref removed) == 1 && ++afterRemoval >= 3)
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    started[i].TrySetResult();
                }

                return (record, version);
            },
            Ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()).ToList();

        await Task.WhenAll(started.Select(s => s.Task)).WaitAsync(RaceTimeout, Ct);
        await removal().WaitAsync(RaceTimeout, Ct);
        Volatile.Write(ref removed, 1);
        return [.. await Task.WhenAll(updaters).WaitAsync(RaceTimeout, Ct)];
    }

    private async Task AssertRemovedAsync(int trial, string user, IReadOnlyList<SessionRecord> records, List<(SessionRecord Record, long Version)> updaters)
    {
        foreach (var record in records)
        {
            var read = await Store.GetAsync(record.Key, Ct);
            Assert.True(read is null, $"Trial {trial}: a removed record is alive again (version {read?.Version}) after an update raced its removal.");
        }

        Assert.Empty(await ListAsync(user));
        foreach (var (record, version) in updaters)
        {
            Assert.False(await Store.UpdateAsync(record, version, Ct), $"Trial {trial}: an update after the removal succeeded.");
            Assert.Null(await Store.GetAsync(record.Key, Ct));
        }
    }

    /// <summary>Bytes that are not a record read as absent, never as an error or garbage.</summary>
    [Fact]
    public async Task Corrupt_bytes_read_as_absent()
    {
        var (_, record) = NewRecord();
        var valid = SessionRecordSerializer.Serialize(record with { Version = 1 });
        var samples = new List<byte[]>
        {
            Array.Empty<byte>(),
            new byte[] { 0xFF, 1, 2, 3 },
            new byte[] { SessionRecordSerializer.FormatVersion },
            valid[..(valid.Length / 2)],
            valid[..^1],
            valid.Append((byte)0).ToArray(),
            Encoding.UTF8.GetBytes("{\"not\":\"a record\"}"),
        };
        var first = true;
        foreach (var bytes in samples)
        {
            var key = SessionKey.FromSessionId(SessionIds.Create());
            if (!await WriteCorruptRecordAsync(key, bytes))
            {
                Assert.True(first);
                Assert.Skip("The store keeps objects, not bytes: there is nothing to corrupt.");
            }

            first = false;
            Assert.Null(await Store.GetAsync(key, Ct));
        }
    }

    /// <summary>The store holds digests only: no client ID appears anywhere in it.</summary>
    [Fact]
    public async Task Store_never_holds_the_raw_session_id()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (id, record) = NewRecord(i % 2 == 0 ? "alice" : null);
            ids.Add(id);
            Assert.True(await Store.CreateAsync(record, Ct));
        }

        var dump = await DumpRawAsync();
        if (dump is null)
        {
            Assert.Skip("The store cannot be inspected (DumpRawAsync not implemented).");
        }

        Assert.NotEmpty(dump);
        foreach (var id in ids)
        {
            var ascii = Encoding.UTF8.GetBytes(id);
            var raw = Base64Url.DecodeFromChars(id.AsSpan(0, id.IndexOf('.') is var dot and >= 0 ? dot : id.Length));
            var hex = Encoding.UTF8.GetBytes(Convert.ToHexString(raw));
            var hexLower = Encoding.UTF8.GetBytes(Convert.ToHexStringLower(raw));
            foreach (var blob in dump)
            {
                Assert.True(blob.AsSpan().IndexOf(ascii) < 0, "A raw session ID was found in the store.");
                Assert.True(blob.AsSpan().IndexOf(raw) < 0, "The raw bytes of a session ID were found in the store.");
                Assert.True(blob.AsSpan().IndexOf(hex) < 0 && blob.AsSpan().IndexOf(hexLower) < 0, "A session ID in hex was found in the store.");
            }
        }
    }

    /// <summary>Changing the dictionary after handing it to the store does not change the stored record.</summary>
    [Fact]
    public async Task Stored_record_is_isolated_from_the_callers_dictionary()
    {
        var (_, record) = NewRecord();
        var data = new Dictionary<string, ReadOnlyMemory<byte>> { ["k"] = new byte[] { 1 } };
        await Store.CreateAsync(record with { Data = data }, Ct);
        data["k"] = new byte[] { 2 };
        data["extra"] = new byte[] { 3 };
        var read = await Store.GetAsync(record.Key, Ct);
        Assert.Equal([(byte)1], read!.Data["k"].ToArray());
        Assert.False(read.Data.ContainsKey("extra"));
    }

    /// <summary>A larger data bag round-trips.</summary>
    [Fact]
    public async Task Large_data_bag_round_trips()
    {
        var (_, record) = NewRecord();
        var random = new Random(42);
        var data = new Dictionary<string, ReadOnlyMemory<byte>>();
        for (var i = 0; i < 50; i++)
        {
            var value = new byte[random.Next(0, 2048)];
            random.NextBytes(value);
            data["key-" + i + "-ünïcødé"] = value;
        }

        record = record with { Data = data };
        Assert.True(await Store.CreateAsync(record, Ct));
        AssertSameContent(record, await Store.GetAsync(record.Key, Ct));
    }

    /// <summary>A cancelled token is honoured.</summary>
    [Fact]
    public async Task Cancelled_token_is_honoured()
    {
        var (_, record) = NewRecord();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetAsync(record.Key, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.CreateAsync(record, cts.Token));
    }
}
