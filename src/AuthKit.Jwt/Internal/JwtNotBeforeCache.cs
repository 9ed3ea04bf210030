using System.Collections.Concurrent;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// Users' not-before stamps (and their absence) as this instance last read them, each for at most
/// <see cref="JwtAuthenticationOptions.UserNotBeforeCacheDuration"/>. Bounded: past <see cref="MaxEntries"/> users it starts over.
/// </summary>
internal sealed class JwtNotBeforeCache(TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string userId, TimeSpan duration, out long? stamp)
    {
        if (duration > TimeSpan.Zero && _entries.TryGetValue(userId, out var entry) && time.GetElapsedTime(entry.ReadAt) < duration)
        {
            stamp = entry.Stamp;
            return true;
        }

        stamp = null;
        return false;
    }

    /// <summary>Remembers what the store said.</summary>
    public void Add(string userId, long? stamp)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[userId] = new Entry(stamp, time.GetTimestamp());
    }

    /// <summary>Remembers a stamp this instance just wrote, so it refuses the user's older tokens at once.</summary>
    public void Set(string userId, long stamp) => Add(userId, stamp);

    private readonly record struct Entry(long? Stamp, long ReadAt);
}
