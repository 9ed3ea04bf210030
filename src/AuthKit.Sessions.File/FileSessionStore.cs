using System.Buffers;
using System.Runtime.CompilerServices;
using AuthKit.Internal;
using AuthKit.Sessions.File.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.File;

/// <summary>
/// An <see cref="ISessionStore"/> on a directory that several processes (on one machine, or on a shared volume) can use at once.
/// </summary>
/// <remarks>
/// <para>One file per record, named from the <see cref="SessionKey"/> (never the client's ID) and written to a temporary file
/// that is then atomically renamed into place, so a reader sees the old record or the new one, never a mix, even when a
/// writer dies mid-write. A file that does not parse is treated as absent and removed.</para>
/// <para>Create, update and remove hold an operating-system lock on the record (one of 256 lock stripes), so
/// <see cref="UpdateAsync"/> is a true compare-and-set across processes. Reads take no lock.</para>
/// <para>The per-user index is exact: one empty marker file per session under a directory named by the SHA-256 of the user's ID.</para>
/// <para>Expired records, stale temporary files and orphaned index entries are swept by a hosted service every
/// <see cref="FileSessionStoreOptions.SweepInterval"/>; a record file's modification time is its expiry, so the sweep
/// reads only the files that are due.</para>
/// </remarks>
public sealed class FileSessionStore : ISessionStore, ISessionStoreSetting
{
    private const int MaxRecordBytes = 16 * 1024 * 1024;
    private static readonly DateTime MinFileTime = new(1980, 1, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime MaxFileTime = new(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly FileStoreLayout _layout;
    private readonly StripeLocks _locks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _flushToDisk;

    /// <inheritdoc />
    string ISessionStoreSetting.ConnectionSetting => $"AuthKit:FileStore:Directory ({_layout.Root})";

    /// <summary>Creates a store on <see cref="FileSessionStoreOptions.Directory"/> that does not log, creating the directory if needed.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="FileSessionStoreOptions"/>).</exception>
    /// <exception cref="SessionStoreException">The directory cannot be created.</exception>
    public FileSessionStore(IOptions<FileSessionStoreOptions> options, TimeProvider timeProvider)
        : this(options, timeProvider, NullLogger<FileSessionStore>.Instance)
    {
    }

    /// <summary>Creates a store on <see cref="FileSessionStoreOptions.Directory"/>, creating the directory if needed.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule (see <see cref="FileSessionStoreOptions"/>).</exception>
    /// <exception cref="SessionStoreException">The directory cannot be created.</exception>
    public FileSessionStore(IOptions<FileSessionStoreOptions> options, TimeProvider timeProvider, ILogger<FileSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var o = options.Value;
        FileSessionStoreOptionsValidator.ThrowIfInvalid(o);
        _layout = new FileStoreLayout(o.Directory!);
        _locks = new StripeLocks(_layout, o.LockTimeout);
        _flushToDisk = o.FlushToDisk;
        _time = timeProvider;
        _logger = logger;
        try
        {
            _layout.EnsureDirectories();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileStoreErrors.Failure("create the directory", _layout.Root, ex);
        }

        _logger.FileStoreOpened(_layout.Root);
        if (_layout.IsOpenToOthers())
        {
            _logger.FileStoreDirectoryOpen(_layout.Root);
        }
    }

    /// <summary>The full path of the session directory.</summary>
    public string Directory => _layout.Root;

    /// <inheritdoc />
    public StoreCapabilities Capabilities
        => StoreCapabilities.AtomicUpdate | StoreCapabilities.ExactUserIndex | StoreCapabilities.SharedAcrossProcesses | StoreCapabilities.Durable;

    /// <inheritdoc />
    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hex = key.DigestHex();
        var path = _layout.RecordPath(hex);
        var read = await ReadAsync(path, key, cancellationToken).ConfigureAwait(false);
        if (read.State == ReadState.Corrupt)
        {
            await RemoveCorruptAsync(hex, path, key, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return read.Record is { } record && !record.IsExpired(_time.GetUtcNow()) ? record : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var hex = record.Key.DigestHex();
        var path = _layout.RecordPath(hex);
        using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(path, record.Key, cancellationToken).ConfigureAwait(false);
        if (current.Record is { } existing && !existing.IsExpired(_time.GetUtcNow()))
        {
            return false;
        }

        await ReplaceAsync(hex, path, current.Record, record with { Version = 1 }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var hex = record.Key.DigestHex();
        var path = _layout.RecordPath(hex);
        using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(path, record.Key, cancellationToken).ConfigureAwait(false);
        if (current.Record is not { } existing || existing.IsExpired(_time.GetUtcNow()) || existing.Version != expectedVersion)
        {
            return false;
        }

        await ReplaceAsync(hex, path, existing, record with { Version = expectedVersion + 1 }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hex = key.DigestHex();
        var path = _layout.RecordPath(hex);
        using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(path, key, cancellationToken).ConfigureAwait(false);
        if (current.State == ReadState.Missing)
        {
            return false;
        }

        DeleteFile(path);
        if (current.Record?.UserId is { } userId)
        {
            DeleteFile(FileStoreLayout.MarkerPath(_layout.UserDirectory(userId), hex));
        }

        return current.Record is { } removed && !removed.IsExpired(_time.GetUtcNow());
    }

    /// <inheritdoc />
    public async ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = _layout.UserDirectory(userId);
        var removed = 0;
        foreach (var (key, hex) in ListMarkers(directory))
        {
            var path = _layout.RecordPath(hex);
            using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
            var current = await ReadAsync(path, key, cancellationToken).ConfigureAwait(false);
            if (current.Record is { } record && string.Equals(record.UserId, userId, StringComparison.Ordinal))
            {
                DeleteFile(path);
                if (!record.IsExpired(_time.GetUtcNow()))
                {
                    removed++;
                }
            }

            DeleteFile(FileStoreLayout.MarkerPath(directory, hex));
        }

        TryDeleteEmptyDirectory(directory);
        return removed;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = _layout.UserDirectory(userId);
        List<(SessionKey Key, string Hex)>? stale = null;
        foreach (var (key, hex) in ListMarkers(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await ReadAsync(_layout.RecordPath(hex), key, cancellationToken).ConfigureAwait(false);
            if (read.Record is { } record && string.Equals(record.UserId, userId, StringComparison.Ordinal) && !record.IsExpired(_time.GetUtcNow()))
            {
                yield return record;
            }
            else
            {
                (stale ??= []).Add((key, hex));
            }
        }

        if (stale is not null)
        {
            foreach (var (key, hex) in stale)
            {
                await PruneAsync(directory, userId, key, hex, cancellationToken).ConfigureAwait(false);
            }

            TryDeleteEmptyDirectory(directory);
        }
    }

    /// <summary>
    /// Removes expired and unreadable records, temporary files left by writers that died, and index entries of records that
    /// are gone. The hosted sweeper calls it every <see cref="FileSessionStoreOptions.SweepInterval"/>; several processes may
    /// sweep one directory at once.
    /// </summary>
    /// <returns>The number of records removed.</returns>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var records = await SweepRecordsAsync(cancellationToken).ConfigureAwait(false);
        var temp = await SweepTempAsync(cancellationToken).ConfigureAwait(false);
        var markers = await SweepMarkersAsync(cancellationToken).ConfigureAwait(false);
        if (records + temp + markers > 0)
        {
            _logger.FileStoreSwept(records, temp, markers);
        }

        return records;
    }

    private async ValueTask<int> SweepRecordsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var file in Enumerate(_layout.Records))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The modification time is the expiry (see WriteAsync); files not yet due are not even opened. A file in a newer
            // format is trusted on its time too: the newer writer set it the same way.
            if (!file.Name.EndsWith(FileStoreLayout.RecordExtension, StringComparison.Ordinal)
                || !FileStoreLayout.TryParseKey(file.Name, out var key, out var hex)
                || !TryGetLastWriteTime(file, out var due)
                || due > now.UtcDateTime)
            {
                continue;
            }

            using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
            var read = await ReadAsync(file.FullName, key, cancellationToken).ConfigureAwait(false);
            if (read.State is ReadState.Corrupt or ReadState.NewerFormat || (read.Record is { } record && record.IsExpired(_time.GetUtcNow())))
            {
                DeleteFile(file.FullName);
                if (read.Record?.UserId is { } userId)
                {
                    DeleteFile(FileStoreLayout.MarkerPath(_layout.UserDirectory(userId), hex));
                }

                removed++;
            }
        }

        return removed;
    }

    private async ValueTask<int> SweepTempAsync(CancellationToken cancellationToken)
    {
        // A writer holds its key's stripe lock from the creation of its temporary file to the rename, so a temporary file
        // that still exists while the sweep holds that lock belongs to a writer that died. No clock is involved.
        var byStripe = new Dictionary<int, List<string>>();
        foreach (var file in Enumerate(_layout.Temp))
        {
            if (FileStoreLayout.TryParseKey(file.Name, out _, out var hex))
            {
                var stripe = FileStoreLayout.StripeOf(hex);
                if (!byStripe.TryGetValue(stripe, out var list))
                {
                    byStripe[stripe] = list = [];
                }

                list.Add(file.FullName);
            }
        }

        var removed = 0;
        foreach (var (stripe, files) in byStripe)
        {
            using var held = await _locks.AcquireAsync(stripe, cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                removed += DeleteFile(file) ? 1 : 0;
            }
        }

        return removed;
    }

    private async ValueTask<int> SweepMarkersAsync(CancellationToken cancellationToken)
    {
        // Markers outlive their record only when a process died between writing the marker and the record.
        var removed = 0;
        IEnumerable<string> directories;
        try
        {
            directories = System.IO.Directory.EnumerateDirectories(_layout.Users).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }

        foreach (var directory in directories)
        {
            foreach (var (key, hex) in ListMarkers(directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = _layout.RecordPath(hex);
                if (System.IO.File.Exists(path))
                {
                    continue;
                }

                using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
                if (!System.IO.File.Exists(path))
                {
                    removed += DeleteFile(FileStoreLayout.MarkerPath(directory, hex)) ? 1 : 0;
                }
            }

            TryDeleteEmptyDirectory(directory);
        }

        return removed;
    }

    /// <summary>Removes a marker that no longer stands for a live record of the user, checking again under the lock.</summary>
    private async ValueTask PruneAsync(string directory, string userId, SessionKey key, string hex, CancellationToken cancellationToken)
    {
        var path = _layout.RecordPath(hex);
        using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
        var read = await ReadAsync(path, key, cancellationToken).ConfigureAwait(false);
        if (read.Record is { } record && string.Equals(record.UserId, userId, StringComparison.Ordinal))
        {
            if (!record.IsExpired(_time.GetUtcNow()))
            {
                return;
            }

            DeleteFile(path);
        }

        DeleteFile(FileStoreLayout.MarkerPath(directory, hex));
    }

    private async ValueTask RemoveCorruptAsync(string hex, string path, SessionKey key, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false);
        var read = await ReadAsync(path, key, cancellationToken).ConfigureAwait(false);
        if (read.State == ReadState.Corrupt && DeleteFile(path))
        {
            _logger.FileStoreCorruptRecord(path);
        }
    }

    /// <summary>Writes <paramref name="next"/> in place of <paramref name="previous"/>; the caller holds the record's lock.</summary>
    private async ValueTask ReplaceAsync(string hex, string path, SessionRecord? previous, SessionRecord next, CancellationToken cancellationToken)
    {
        // The index marker exists before the record does and goes only after the record has left the user, so every
        // record of a user always has its marker: that is what makes RemoveByUserAsync exact.
        var previousUser = previous?.UserId;
        if (next.UserId is { } userId && !string.Equals(previousUser, userId, StringComparison.Ordinal))
        {
            WriteMarker(_layout.UserDirectory(userId), hex);
        }

        await WriteAsync(hex, path, next, cancellationToken).ConfigureAwait(false);
        if (previousUser is not null && !string.Equals(previousUser, next.UserId, StringComparison.Ordinal))
        {
            DeleteFile(FileStoreLayout.MarkerPath(_layout.UserDirectory(previousUser), hex));
        }
    }

    private async ValueTask WriteAsync(string hex, string path, SessionRecord record, CancellationToken cancellationToken)
    {
        var bytes = SessionRecordSerializer.Serialize(record);
        var temp = _layout.TempPath(hex);
        try
        {
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            FileStream stream;
            try
            {
                stream = new FileStream(temp, fileOptions);
            }
            catch (DirectoryNotFoundException)
            {
                _layout.EnsureDirectories();
                stream = new FileStream(temp, fileOptions);
            }

            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                if (_flushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }

                SetExpiryTime(stream, temp, record.ExpiresAt);
            }

            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteFile(temp);
            throw FileStoreErrors.Failure("write", path, ex);
        }
        catch
        {
            DeleteFile(temp);
            throw;
        }
    }

    private void SetExpiryTime(FileStream stream, string path, DateTimeOffset expiresAt)
    {
        var time = expiresAt.UtcDateTime;
        time = time < MinFileTime ? MinFileTime : time > MaxFileTime ? MaxFileTime : time;
        try
        {
            System.IO.File.SetLastWriteTimeUtc(stream.SafeFileHandle, time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            _logger.FileStoreExpiryTimeNotSet(path, ex);
        }
    }

    private static void WriteMarker(string directory, string hex)
    {
        var path = FileStoreLayout.MarkerPath(directory, hex);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                System.IO.File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < 8)
            {
                // Either the user's first session, or a sweep removed the empty directory a moment ago.
                try
                {
                    FileStoreLayout.CreateDirectory(directory);
                }
                catch (DirectoryNotFoundException) when (attempt < 7)
                {
                    FileStoreLayout.CreateDirectory(Path.GetDirectoryName(directory)!);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw FileStoreErrors.Failure("create the index directory", directory, ex);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw FileStoreErrors.Failure("write the index entry", path, ex);
            }
        }
    }

    private static async ValueTask<ReadResult> ReadAsync(string path, SessionKey key, CancellationToken cancellationToken)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            // FileShare.Delete lets a writer rename over the file while it is being read (Windows); the reader keeps the old bytes.
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return default;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileStoreErrors.Failure("read", path, ex);
        }

        using (handle)
        {
            byte[]? buffer = null;
            try
            {
                var length = RandomAccess.GetLength(handle);
                if (length is 0 or > MaxRecordBytes)
                {
                    return new ReadResult(ReadState.Corrupt, null);
                }

                buffer = ArrayPool<byte>.Shared.Rent((int)length);
                var total = 0;
                while (total < length)
                {
                    var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(total, (int)length - total), total, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }

                if (total == length
                    && SessionRecordSerializer.TryDeserialize(buffer.AsMemory(0, total), out var record)
                    && record.Key == key)
                {
                    return new ReadResult(ReadState.Found, record);
                }

                // A newer AuthKit (a rolling upgrade) may write a format this one cannot read: absent here, but not ours to delete.
                return new ReadResult(total == length && buffer[0] > SessionRecordSerializer.FormatVersion ? ReadState.NewerFormat : ReadState.Corrupt, null);
            }
            catch (IOException ex)
            {
                throw FileStoreErrors.Failure("read", path, ex);
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    private static IEnumerable<(SessionKey Key, string Hex)> ListMarkers(string directory)
    {
        List<(SessionKey, string)> markers = [];
        foreach (var file in Enumerate(directory))
        {
            if (FileStoreLayout.TryParseKey(file.Name, out var key, out var hex) && file.Name.Length == hex.Length)
            {
                markers.Add((key, hex));
            }
        }

        return markers;
    }

    private static List<FileInfo> Enumerate(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileStoreErrors.Failure("list", directory, ex);
        }
    }

    private static bool TryGetLastWriteTime(FileInfo file, out DateTime time)
    {
        try
        {
            time = file.LastWriteTimeUtc;
            return file.Exists;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            time = default;
            return false;
        }
    }

    private static bool DeleteFile(string path)
    {
        try
        {
            if (!System.IO.File.Exists(path))
            {
                return false;
            }

            System.IO.File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileStoreErrors.Failure("delete", path, ex);
        }
    }

    private static void TryDeleteEmptyDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not empty (a session was just added) or already gone: both fine.
        }
    }

    private enum ReadState
    {
        Missing,
        Found,
        Corrupt,
        NewerFormat,
    }

    private readonly record struct ReadResult(ReadState State, SessionRecord? Record);
}
