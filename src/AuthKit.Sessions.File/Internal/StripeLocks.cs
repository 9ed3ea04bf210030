using Microsoft.Win32.SafeHandles;

namespace AuthKit.Sessions.File.Internal;

/// <summary>
/// Mutual exclusion per record, across threads and across processes: an in-process semaphore per stripe (so threads of one
/// process queue instead of polling) and an exclusive operating-system lock on the stripe's lock file (<c>flock</c> on Unix,
/// a share-none open on Windows), which the kernel releases when the holder dies.
/// </summary>
internal sealed class StripeLocks
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(20);

    private readonly FileStoreLayout _layout;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim[] _gates = new SemaphoreSlim[FileStoreLayout.StripeCount];

    public StripeLocks(FileStoreLayout layout, TimeSpan timeout)
    {
        _layout = layout;
        _timeout = timeout;
        for (var i = 0; i < _gates.Length; i++)
        {
            _gates[i] = new SemaphoreSlim(1, 1);
        }
    }

    public ValueTask<Held> AcquireAsync(string keyHex, CancellationToken cancellationToken)
        => AcquireAsync(FileStoreLayout.StripeOf(keyHex), cancellationToken);

    public async ValueTask<Held> AcquireAsync(int stripe, CancellationToken cancellationToken)
    {
        // Lock waits are real time whatever TimeProvider drives record expiry: the holder is another thread or process.
        var started = TimeProvider.System.GetTimestamp();
        var gate = _gates[stripe];
        if (!await gate.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            throw Timeout(stripe);
        }

        try
        {
            var handle = await LockFileAsync(stripe, started, cancellationToken).ConfigureAwait(false);
            return new Held(gate, handle);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private async ValueTask<SafeFileHandle> LockFileAsync(int stripe, long started, CancellationToken cancellationToken)
    {
        var path = _layout.LockPath(stripe);
        var backoff = TimeSpan.FromMilliseconds(1);
        var recreated = false;
        while (true)
        {
            try
            {
                return System.IO.File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
            }
            catch (DirectoryNotFoundException) when (!recreated)
            {
                // Someone removed the directory under us (a tmp cleaner, an operator); put it back once.
                recreated = true;
                _layout.EnsureDirectories();
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw FileStoreErrors.Failure("lock", path, ex);
            }

            if (TimeProvider.System.GetElapsedTime(started) >= _timeout)
            {
                throw Timeout(stripe);
            }

            var jitter = TimeSpan.FromTicks(Random.Shared.NextInt64(backoff.Ticks / 2 + 1));
            await Task.Delay(backoff + jitter, cancellationToken).ConfigureAwait(false);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    /// <summary>Whether the open failed only because another handle holds the lock.</summary>
    internal static bool IsHeldElsewhere(IOException ex)
        => ex.GetType() == typeof(IOException)
           && ex.HResult is 11 or 35 // EWOULDBLOCK on Linux, macOS
               or unchecked((int)0x80070020) or unchecked((int)0x80070021); // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION

    private SessionStoreException Timeout(int stripe)
        => new($"The file session store waited {_timeout.TotalMilliseconds:0} ms for the lock '{_layout.LockPath(stripe)}' held by another thread or process. " +
               "A writer may be stuck (a hung process or a slow disk); raise AuthKit:FileStore:LockTimeout (FileSessionStoreOptions.LockTimeout) if the disk is just slow.");

    /// <summary>A held lock; disposing releases it.</summary>
    internal readonly struct Held(SemaphoreSlim gate, SafeFileHandle handle) : IDisposable
    {
        public void Dispose()
        {
            handle.Dispose();
            gate.Release();
        }
    }
}
