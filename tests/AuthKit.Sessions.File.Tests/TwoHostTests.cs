using AuthKit.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.FileStore.Tests;

/// <summary>Two app instances (separate DI containers, separate Kestrel ports) on one session directory.</summary>
public sealed class TwoHostTests : SharedStoreTwoHostTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override void UseSharedStore(AuthKitBuilder authKit) => authKit.UseFileSessionStore(o => o.Directory = _directory.Path);

    protected override Task<int> CountStoredRecordsAsync() =>
        Task.FromResult(Directory.GetFiles(Path.Combine(_directory.Path, "records")).Length);
}
