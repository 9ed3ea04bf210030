using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal.Keys;

/// <summary>The managed rings of the app, created once from their registrations when first asked for.</summary>
internal sealed class ManagedKeyRegistry(
    IOptions<ManagedKeyRingOptions> options,
    IOptions<AuthKitOptions> authKit,
    ISessionStore store,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    AuthKitMetrics metrics,
    IEnumerable<ManagedKeyRingRegistration> registrations,
    IServiceProvider services)
{
    private readonly Lock _lock = new();
    private Dictionary<string, ManagedKeySet>? _sets;

    public bool Enabled => options.Value.Enabled;

    public IReadOnlyCollection<ManagedKeySet> Sets => Resolve().Values;

    /// <summary>The managed ring called <paramref name="name"/>, or <see langword="null"/> when it is not managed.</summary>
    public ManagedKeySet? Find(string name) => Resolve().GetValueOrDefault(name);

    private Dictionary<string, ManagedKeySet> Resolve()
    {
        if (Volatile.Read(ref _sets) is { } sets)
        {
            return sets;
        }

        lock (_lock)
        {
            if (_sets is not null)
            {
                return _sets;
            }

            var result = new Dictionary<string, ManagedKeySet>(StringComparer.Ordinal);
            var o = options.Value;
            if (o.Enabled)
            {
                var kek = string.IsNullOrWhiteSpace(o.KeyEncryptionKey) ? null : Convert.FromBase64String(o.KeyEncryptionKey.Trim());
                var logger = loggerFactory.CreateLogger("AuthKit.ManagedKeys");
                // Several registrations may name one ring (the core registers the cookie ring, the sessions package how long what
                // it signs lives): the first algorithm counts, and a retired key verifies as long as the longest of them needs.
                foreach (var group in registrations.GroupBy(r => r.Name, StringComparer.Ordinal))
                {
                    var algorithm = group.Select(r => r.Algorithm(services)).FirstOrDefault(a => a is not null);
                    if (algorithm is null)
                    {
                        continue;
                    }

                    var retain = o.RetainAfterActive;
                    foreach (var registration in group)
                    {
                        if (registration.Retain?.Invoke(services) is { } needed && needed > retain)
                        {
                            retain = needed;
                        }
                    }

                    var timings = new ManagedKeyTimings(o.KeyLifetime, o.PropagationDelay, o.RefreshInterval, retain);
                    result.Add(group.Key, new ManagedKeySet(group.Key, algorithm, authKit.Value.ApplicationName, timings, kek, store, time, logger, metrics));
                }
            }

            Volatile.Write(ref _sets, result);
            return result;
        }
    }
}
