using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace AuthKit.DistributedStore.Tests;

/// <summary>Wraps a cache and remembers every key written and the entry options used, so tests can dump and inspect the store.</summary>
internal sealed class RecordingDistributedCache(IDistributedCache inner) : IDistributedCache
{
    public ConcurrentDictionary<string, DistributedCacheEntryOptions> Writes { get; } = new();

    public IDistributedCache Inner => inner;

    public byte[]? Get(string key) => inner.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Writes[key] = options;
        inner.Set(key, value, options);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Writes[key] = options;
        return inner.SetAsync(key, value, options, token);
    }

    /// <summary>Every key written that still has a value, and that value.</summary>
    public async Task<IReadOnlyList<byte[]>> DumpAsync(CancellationToken cancellationToken)
    {
        var dump = new List<byte[]>();
        foreach (var key in Writes.Keys)
        {
            if (await inner.GetAsync(key, cancellationToken) is { } value)
            {
                dump.Add(System.Text.Encoding.UTF8.GetBytes(key));
                dump.Add(value);
            }
        }

        return dump;
    }
}
