using Microsoft.Extensions.Options;
using AuthKit.Sessions.File;

namespace AuthKit.FileStore.Tests;

internal static class FileStoreFactory
{
    public static FileSessionStore Create(string directory, TimeProvider time, TimeSpan? lockTimeout = null)
        => new(Options.Create(new FileSessionStoreOptions { Directory = directory, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) }), time);

    public static string RecordPath(string directory, SessionKey key) => Path.Combine(directory, "records", key + ".session");
}
