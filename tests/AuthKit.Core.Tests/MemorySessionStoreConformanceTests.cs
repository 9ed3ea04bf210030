using System.Text;
using AuthKit.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Core.Tests;

public sealed class MemorySessionStoreConformanceTests : SessionStoreConformanceTests
{
    private MemorySessionStore? _store;

    protected override ValueTask<ISessionStore> CreateStoreAsync(FakeTimeProvider timeProvider)
    {
        _store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), timeProvider);
        return new ValueTask<ISessionStore>(_store);
    }

    protected override ValueTask<IReadOnlyList<byte[]>?> DumpRawAsync()
    {
        // The memory store keeps objects: what it holds is exactly what serializing each record (and its key) gives.
        var blobs = _store!.Snapshot()
            .SelectMany(r => new[] { SessionRecordSerializer.Serialize(r), Encoding.UTF8.GetBytes(r.Key.ToString()) })
            .ToList();
        return new ValueTask<IReadOnlyList<byte[]>?>(blobs);
    }
}
