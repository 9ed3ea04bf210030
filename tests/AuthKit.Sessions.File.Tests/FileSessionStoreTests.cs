using Microsoft.Extensions.Options;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using AuthKit.Sessions.File;

namespace AuthKit.FileStore.Tests;

public sealed class FileSessionStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private SessionRecord NewRecord(string? userId = "alice", TimeSpan? idle = null, Dictionary<string, ReadOnlyMemory<byte>>? data = null)
    {
        var now = _time.GetUtcNow();
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            UserId = userId,
            Principal = userId is null ? null : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userId)], "test")),
            Data = data ?? new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = "3 apples"u8.ToArray() },
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(20)),
            AbsoluteExpiresAt = now + TimeSpan.FromHours(8),
        };
    }

    private string UserDirectory(string userId)
        => Path.Combine(_directory.Path, "users", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId))));

    [Fact]
    public async Task Record_is_one_file_named_by_the_key_in_the_serializer_format()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var id = SessionIds.Create();
        var record = NewRecord() with { Key = SessionKey.FromSessionId(id) };
        Assert.True(await store.CreateAsync(record, Ct));

        var path = FileStoreFactory.RecordPath(_directory.Path, record.Key);
        Assert.Equal([path], Directory.GetFiles(Path.Combine(_directory.Path, "records")));
        Assert.True(SessionRecordSerializer.TryDeserialize(await System.IO.File.ReadAllBytesAsync(path, Ct), out var onDisk));
        Assert.Equal(record.Key, onDisk.Key);
        Assert.Equal(1, onDisk.Version);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "tmp")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_directory.Path, "*", SearchOption.AllDirectories), p => p.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Directory_and_files_are_readable_only_by_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions.");
            return;
        }

        var store = FileStoreFactory.Create(_directory.Path, _time);
        var record = NewRecord();
        await store.CreateAsync(record, Ct);

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, System.IO.File.GetUnixFileMode(_directory.Path));
        foreach (var sub in new[] { "records", "users", "locks", "tmp" })
        {
            Assert.Equal(ownerOnly, System.IO.File.GetUnixFileMode(Path.Combine(_directory.Path, sub)));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(FileStoreFactory.RecordPath(_directory.Path, record.Key)));
    }

    [Fact]
    public async Task Record_file_time_is_the_earlier_expiry()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var record = NewRecord(idle: TimeSpan.FromMinutes(7));
        await store.CreateAsync(record, Ct);
        var written = System.IO.File.GetLastWriteTimeUtc(FileStoreFactory.RecordPath(_directory.Path, record.Key));
        Assert.Equal(record.IdleExpiresAt.UtcDateTime, written, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Torn_record_file_at_every_byte_offset_reads_as_absent_and_is_removed()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var record = NewRecord() with { Version = 1 };
        var bytes = SessionRecordSerializer.Serialize(record);
        var path = FileStoreFactory.RecordPath(_directory.Path, record.Key);
        for (var length = 0; length < bytes.Length; length++)
        {
            await System.IO.File.WriteAllBytesAsync(path, bytes[..length], Ct);
            Assert.Null(await store.GetAsync(record.Key, Ct));
            Assert.False(System.IO.File.Exists(path), $"A torn record of {length} bytes was not removed.");
        }

        // A corrupt file never blocks a fresh session under that key.
        await System.IO.File.WriteAllBytesAsync(path, bytes[..10], Ct);
        Assert.True(await store.CreateAsync(record, Ct));
        Assert.NotNull(await store.GetAsync(record.Key, Ct));
    }

    [Fact]
    public async Task Record_in_a_newer_format_reads_as_absent_but_is_left_for_the_newer_instances()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var key = SessionKey.FromSessionId(SessionIds.Create());
        var path = FileStoreFactory.RecordPath(_directory.Path, key);
        await System.IO.File.WriteAllBytesAsync(path, [(byte)(SessionRecordSerializer.FormatVersion + 1), 1, 2, 3], Ct);
        System.IO.File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime.AddMinutes(10)); // its writer set the expiry

        Assert.Null(await store.GetAsync(key, Ct));
        Assert.Equal(0, await store.SweepAsync(Ct));
        Assert.True(System.IO.File.Exists(path));

        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await store.SweepAsync(Ct));
        Assert.False(System.IO.File.Exists(path));
    }

    [Fact]
    public async Task Writer_torn_at_every_byte_offset_leaves_the_old_record_readable_and_the_sweep_removes_its_leftovers()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var record = NewRecord();
        Assert.True(await store.CreateAsync(record, Ct));
        var next = SessionRecordSerializer.Serialize(record with { Version = 2, Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["cart"] = new byte[300] } });
        var hex = record.Key.ToString();

        // A writer that dies mid-write leaves a prefix of the new record in its temporary file; the rename never happened.
        for (var length = 0; length <= next.Length; length++)
        {
            await System.IO.File.WriteAllBytesAsync(Path.Combine(_directory.Path, "tmp", $"{hex}.{length:x8}.tmp"), next[..length], Ct);
            var read = await store.GetAsync(record.Key, Ct);
            Assert.NotNull(read);
            Assert.Equal(1, read.Version);
            Assert.Equal("3 apples"u8.ToArray(), read.Data["cart"].ToArray());
        }

        Assert.Equal(next.Length + 1, Directory.GetFiles(Path.Combine(_directory.Path, "tmp")).Length);
        await store.SweepAsync(Ct);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "tmp")));
        Assert.True(await store.UpdateAsync(record, 1, Ct));
        Assert.Equal(2, (await store.GetAsync(record.Key, Ct))!.Version);
    }

    [Fact]
    public async Task Sweep_removes_expired_records_with_their_index_entries_and_keeps_live_ones()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var shortLived = NewRecord(idle: TimeSpan.FromMinutes(1));
        var longLived = NewRecord(idle: TimeSpan.FromHours(1));
        var anonymous = NewRecord(userId: null, idle: TimeSpan.FromMinutes(1));
        foreach (var r in new[] { shortLived, longLived, anonymous })
        {
            await store.CreateAsync(r, Ct);
        }

        Assert.Equal(0, await store.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, await store.SweepAsync(Ct));

        Assert.False(System.IO.File.Exists(FileStoreFactory.RecordPath(_directory.Path, shortLived.Key)));
        Assert.False(System.IO.File.Exists(FileStoreFactory.RecordPath(_directory.Path, anonymous.Key)));
        Assert.False(System.IO.File.Exists(Path.Combine(UserDirectory("alice"), shortLived.Key.ToString())));
        Assert.True(System.IO.File.Exists(Path.Combine(UserDirectory("alice"), longLived.Key.ToString())));
        Assert.NotNull(await store.GetAsync(longLived.Key, Ct));
    }

    [Fact]
    public async Task Sweep_removes_corrupt_records_and_index_entries_whose_record_is_gone()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var record = NewRecord("bob");
        await store.CreateAsync(record, Ct);

        // A process that died between writing the index entry and the record leaves an entry with no record.
        System.IO.File.Delete(FileStoreFactory.RecordPath(_directory.Path, record.Key));
        var garbage = SessionKey.FromSessionId(SessionIds.Create());
        await System.IO.File.WriteAllBytesAsync(FileStoreFactory.RecordPath(_directory.Path, garbage), [1, 2, 3], Ct);
        System.IO.File.SetLastWriteTimeUtc(FileStoreFactory.RecordPath(_directory.Path, garbage), _time.GetUtcNow().UtcDateTime.AddMinutes(-1));

        Assert.Equal(1, await store.SweepAsync(Ct));
        Assert.False(System.IO.File.Exists(FileStoreFactory.RecordPath(_directory.Path, garbage)));
        Assert.False(Directory.Exists(UserDirectory("bob")));
    }

    [Fact]
    public async Task User_index_is_one_empty_marker_per_session_under_the_hashed_user_id()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var a = NewRecord("alice@example.com");
        var b = NewRecord("alice@example.com");
        await store.CreateAsync(a, Ct);
        await store.CreateAsync(b, Ct);

        var markers = Directory.GetFiles(UserDirectory("alice@example.com")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(new[] { a.Key.ToString(), b.Key.ToString() }.Order(), markers);
        Assert.All(Directory.GetFiles(UserDirectory("alice@example.com")), m => Assert.Equal(0, new FileInfo(m).Length));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_directory.Path, "*", SearchOption.AllDirectories), p => p.Contains("alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_in_and_switching_user_move_the_index_entry()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var anonymous = NewRecord(userId: null);
        await store.CreateAsync(anonymous, Ct);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "users")) && Directory.EnumerateFileSystemEntries(Path.Combine(_directory.Path, "users")).Any());

        Assert.True(await store.UpdateAsync(anonymous with { UserId = "alice" }, 1, Ct));
        Assert.True(System.IO.File.Exists(Path.Combine(UserDirectory("alice"), anonymous.Key.ToString())));

        Assert.True(await store.UpdateAsync(anonymous with { UserId = "bob" }, 2, Ct));
        Assert.False(System.IO.File.Exists(Path.Combine(UserDirectory("alice"), anonymous.Key.ToString())));
        Assert.True(System.IO.File.Exists(Path.Combine(UserDirectory("bob"), anonymous.Key.ToString())));
        Assert.Equal(0, await store.RemoveByUserAsync("alice", Ct));
        Assert.Equal(1, await store.RemoveByUserAsync("bob", Ct));
        Assert.Null(await store.GetAsync(anonymous.Key, Ct));
    }

    [Fact]
    public async Task Write_failure_is_a_SessionStoreException_naming_the_path_and_the_fix()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        var records = Path.Combine(_directory.Path, "records");
        Directory.Delete(records);
        await System.IO.File.WriteAllBytesAsync(records, [0], Ct); // the records directory is now a file: every write fails

        var record = NewRecord();
        var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.CreateAsync(record, Ct));
        Assert.Contains(records, ex.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:FileStore:Directory", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(ex.InnerException);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "tmp")));
    }

    [Fact]
    public async Task Lock_held_elsewhere_past_the_lock_timeout_is_a_SessionStoreException()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time, lockTimeout: TimeSpan.FromMilliseconds(200));
        var record = NewRecord();
        await store.CreateAsync(record, Ct);

        // Another process would hold the stripe's lock file the same way.
        var lockPath = Path.Combine(_directory.Path, "locks", record.Key.ToString()[..2] + ".lock");
        using (System.IO.File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.UpdateAsync(record, 1, Ct));
            Assert.Contains("LockTimeout", ex.Message, StringComparison.Ordinal);
            Assert.NotNull(await store.GetAsync(record.Key, Ct)); // reads take no lock
        }

        Assert.True(await store.UpdateAsync(record, 1, Ct));
    }

    [Fact]
    public async Task Store_created_on_a_missing_directory_creates_it()
    {
        var nested = Path.Combine(_directory.Path, "a", "b");
        var store = FileStoreFactory.Create(nested, _time);
        Assert.True(Directory.Exists(Path.Combine(nested, "records")));
        Assert.Equal(Path.GetFullPath(nested), store.Directory);
        Assert.True(await store.CreateAsync(NewRecord(), Ct));
    }

    [Fact]
    public async Task Directory_removed_while_running_is_recreated_on_the_next_write()
    {
        var store = FileStoreFactory.Create(_directory.Path, _time);
        Directory.Delete(_directory.Path, recursive: true);
        var record = NewRecord();
        Assert.True(await store.CreateAsync(record, Ct));
        Assert.NotNull(await store.GetAsync(record.Key, Ct));
        Assert.Single(await ToListAsync(store.ListByUserAsync("alice", Ct)));
    }

    [Fact]
    public void Options_setters_accept_anything_and_the_store_reports_every_problem_at_once()
    {
        var options = new FileSessionStoreOptions { SweepInterval = TimeSpan.FromMilliseconds(10), LockTimeout = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.FromHours(1), options.LockTimeout);
        var ex = Assert.Throws<OptionsValidationException>(() => new FileSessionStore(Microsoft.Extensions.Options.Options.Create(options), _time));
        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:FileStore:Directory", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:FileStore:SweepInterval", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:FileStore:LockTimeout", StringComparison.Ordinal));

        var defaults = new FileSessionStoreOptions();
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.SweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.LockTimeout);
        Assert.False(defaults.FlushToDisk);
    }

    [Fact]
    public async Task FlushToDisk_writes_the_same_record()
    {
        var store = new FileSessionStore(Microsoft.Extensions.Options.Options.Create(new FileSessionStoreOptions { Directory = _directory.Path, FlushToDisk = true }), _time);
        var record = NewRecord();
        Assert.True(await store.CreateAsync(record, Ct));
        Assert.Equal(record.UserId, (await store.GetAsync(record.Key, Ct))!.UserId);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
