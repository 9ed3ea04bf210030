using System.Text;
using AuthKit.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.FileStore.Tests;

public sealed class FileSessionStoreConformanceTests : SessionStoreConformanceTests
{
    private readonly TempDirectory _directory = new();

    protected override ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider)
        => new(FileStoreFactory.Create(_directory.Path, timeProvider));

    protected override ValueTask DisposeStoreAsync(ISessionStore store)
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask<bool> WriteCorruptRecordAsync(SessionKey key, byte[] bytes)
    {
        await System.IO.File.WriteAllBytesAsync(FileStoreFactory.RecordPath(_directory.Path, key), bytes, TestContext.Current.CancellationToken);
        return true;
    }

    protected override async ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync()
    {
        // Every path (names are data too) and every file's content.
        var dump = new List<byte[]>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(_directory.Path, "*", SearchOption.AllDirectories))
        {
            dump.Add(Encoding.UTF8.GetBytes(entry));
            if (System.IO.File.Exists(entry))
            {
                dump.Add(await System.IO.File.ReadAllBytesAsync(entry, TestContext.Current.CancellationToken));
            }
        }

        return dump;
    }
}
