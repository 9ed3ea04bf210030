using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AuthKit;

/// <summary>AuthKit's instruments on the <c>AuthKit</c> meter. Registered as a singleton; the AuthKit packages report through it.</summary>
internal sealed class AuthKitMetrics
{
    private readonly Counter<long> _authentications;
    private readonly Counter<long> _storeOperations;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _sessionsCreated;
    private readonly Counter<long> _keyEvents;

    /// <summary>Creates the instruments from the application's meter factory.</summary>
    public AuthKitMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(AuthKitDefaults.MeterName);
        _authentications = meter.CreateCounter<long>("authkit.authentication.attempts", unit: "{attempt}", description: "Authentication attempts by scheme and result.");
        _storeOperations = meter.CreateCounter<long>("authkit.session_store.operations", unit: "{operation}", description: "Session store operations by store, operation and result.");
        _storeDuration = meter.CreateHistogram<double>("authkit.session_store.duration", unit: "s", description: "Session store operation duration.");
        _sessionsCreated = meter.CreateCounter<long>("authkit.sessions.created", unit: "{session}", description: "Sessions created.");
        _keyEvents = meter.CreateCounter<long>("authkit.keys.events", unit: "{event}", description: "Key events by ring and event: created, activated, retired, deleted, reloaded, refused.");
    }

    /// <summary>Records an authentication attempt (<paramref name="result"/>: <c>success</c>, <c>failure</c>, <c>none</c>, <c>throttled</c>, <c>error</c>).</summary>
    public void AuthenticationAttempt(string scheme, string result)
    {
        if (_authentications.Enabled)
        {
            _authentications.Add(1, new TagList { { "authkit.scheme", scheme }, { "authkit.result", result } });
        }
    }

    /// <summary>Records a store operation and its duration.</summary>
    public void StoreOperation(string store, string operation, string result, TimeSpan duration)
    {
        if (_storeOperations.Enabled || _storeDuration.Enabled)
        {
            var tags = new TagList { { "authkit.store", store }, { "authkit.operation", operation }, { "authkit.result", result } };
            _storeOperations.Add(1, tags);
            _storeDuration.Record(duration.TotalSeconds, tags);
        }
    }

    /// <summary>Records a new session.</summary>
    public void SessionCreated(string scheme)
    {
        if (_sessionsCreated.Enabled)
        {
            _sessionsCreated.Add(1, new TagList { { "authkit.scheme", scheme } });
        }
    }

    public void KeyEvent(string ring, string keyEvent)
    {
        if (_keyEvents.Enabled)
        {
            _keyEvents.Add(1, new TagList { { "authkit.key_ring", ring }, { "authkit.event", keyEvent } });
        }
    }
}
