using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuthKit.Basic;

/// <summary>
/// Sliding-window failure counts per user name (case-insensitive) and per client address. Each tracked name keeps the times of its
/// last N failures; it is blocked while the oldest of N failures is younger than the window.
/// </summary>
internal sealed class BasicFailureThrottle
{
    private readonly Table _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Table _clients = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or <see langword="null"/> when neither the user nor the client is blocked.</summary>
    public TimeSpan? Check(string userName, string clientKey, long nowTicks, BasicAuthenticationOptions options)
    {
        var window = options.ThrottleWindow.Ticks;
        var user = _users.RetryAfter(userName, nowTicks, window, options.MaxFailuresPerUser);
        var client = _clients.RetryAfter(clientKey, nowTicks, window, options.MaxFailuresPerClient);
        var wait = Math.Max(user, client);
        return wait > 0 ? TimeSpan.FromTicks(wait) : null;
    }

    /// <summary>Records a failure; <see langword="false"/> when a table was full and the name could not be tracked.</summary>
    public bool RecordFailure(string userName, string clientKey, long nowTicks, BasicAuthenticationOptions options)
    {
        var window = options.ThrottleWindow.Ticks;
        var a = _users.Record(userName, nowTicks, window, options.MaxFailuresPerUser, options.ThrottleTableSize);
        var b = _clients.Record(clientKey, nowTicks, window, options.MaxFailuresPerClient, options.ThrottleTableSize);
        return a && b;
    }

    /// <summary>A good password clears the user's failures (not the client's).</summary>
    public void RecordSuccess(string userName) => _users.Remove(userName);

    /// <summary>The client's throttle key: the IPv4 address, or the /64 prefix of an IPv6 address (one host usually owns a /64).</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "local";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear();
            return new IPAddress(bytes).ToString() + "/64";
        }

        return address.ToString();
    }

    private sealed class Table(StringComparer comparer)
    {
        private readonly ConcurrentDictionary<string, Window> _windows = new(comparer);

        public long RetryAfter(string name, long now, long window, int limit)
        {
            if (limit == 0 || !_windows.TryGetValue(name, out var w))
            {
                return 0;
            }

            return w.RetryAfter(now, window, limit);
        }

        public bool Record(string name, long now, long window, int limit, int capacity)
        {
            if (limit == 0)
            {
                return true;
            }

            if (!_windows.TryGetValue(name, out var w))
            {
                if (_windows.Count >= capacity)
                {
                    Prune(now, window);
                    if (_windows.Count >= capacity)
                    {
                        return false;
                    }
                }

                w = _windows.GetOrAdd(name, static _ => new Window());
            }

            w.Record(now, limit);
            return true;
        }

        public void Remove(string name) => _windows.TryRemove(name, out _);

        private void Prune(long now, long window)
        {
            foreach (var pair in _windows)
            {
                if (pair.Value.IsStale(now, window))
                {
                    _windows.TryRemove(pair);
                }
            }
        }
    }

    private sealed class Window
    {
        private readonly Lock _lock = new();
        private long[] _times = [];
        private int _count;
        private int _next;

        public long RetryAfter(long now, long window, int limit)
        {
            lock (_lock)
            {
                if (_count < limit || _times.Length != limit)
                {
                    return 0;
                }

                var oldest = _times[_next];
                var until = oldest + window - now;
                return until > 0 ? until : 0;
            }
        }

        public void Record(long now, int limit)
        {
            lock (_lock)
            {
                if (_times.Length != limit)
                {
                    _times = new long[limit];
                    _count = 0;
                    _next = 0;
                }

                _times[_next] = now;
                _next = (_next + 1) % limit;
                _count = Math.Min(_count + 1, limit);
            }
        }

        public bool IsStale(long now, long window)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    return true;
                }

                var newest = _times[(_next - 1 + _times.Length) % _times.Length];
                return newest + window <= now;
            }
        }
    }
}
